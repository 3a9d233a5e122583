package io.tributary.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.tributary.security.ApiSecurityProperties.AnonymousRateLimit;
import io.tributary.security.ApiSecurityProperties.FailedAuthRateLimit;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What a client address may send without a valid key: two token buckets (Bucket4j) per
 * address, one for requests without a key ({@code anonymous-rate-limit}), one for
 * requests with a key that is not valid ({@code failed-auth-rate-limit}). A request with
 * a key takes a token from the second before its key is checked, and gives it back when
 * the key is valid: once a guesser has used them up, no key from that address is checked
 * until a token is back, so the answer tells nothing of a guess, however many are sent at
 * once.
 * <p>
 * The client address is the request's remote address: the peer of the connection, or what
 * {@code server.forward-headers-strategy} makes of {@code X-Forwarded-For} (native:
 * Tomcat's, from trusted proxies only; framework: Spring's, from anyone), so
 * {@code X-Forwarded-For} counts only where the operator says a proxy sets it. IPv6
 * addresses count by their /64, which one client usually holds whole.
 * <p>
 * The buckets live in a bounded map ({@code rate-limited-addresses}, least recently seen
 * forgotten first), and an address is forgotten once it was not seen for the longer of
 * the two periods, when its buckets would be full again anyway.
 */
final class ClientLimits {

	/** The probes kubelets call without a key; never limited. */
	private static final String[] PROBES = { "/actuator/health/liveness", "/actuator/health/readiness" };

	private static final String CLIENT = ClientLimits.class.getName() + ".client";

	/** Longer remote "addresses" (from a forwarded header) are cut to this. */
	private static final int MAX_ADDRESS = 100;

	private final Cache<String, Client> clients;

	private final AnonymousRateLimit anonymous;

	private final FailedAuthRateLimit failed;

	ClientLimits(ApiSecurityProperties properties) {
		this.anonymous = properties.anonymousRateLimit();
		this.failed = properties.failedAuthRateLimit();
		Duration idle = (this.anonymous.period().compareTo(this.failed.period()) > 0) ? this.anonymous.period()
				: this.failed.period();
		this.clients = Caffeine.newBuilder()
			.maximumSize(properties.rateLimitedAddresses())
			.expireAfterAccess(idle)
			.build();
	}

	AnonymousRateLimit anonymous() {
		return this.anonymous;
	}

	FailedAuthRateLimit failed() {
		return this.failed;
	}

	/**
	 * @param request a request
	 * @return whether it is a health probe, which needs no token when it sends no key
	 */
	static boolean isProbe(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		for (String probe : PROBES) {
			if (probe.equals(path)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @param request a request with a key, before the key is checked
	 * @return nanoseconds until a key from its address is checked again; 0 when it is
	 * checked now (a token is taken: {@link #authenticated} gives it back)
	 */
	long keyed(HttpServletRequest request) {
		Client client = client(request);
		var probe = client.failed().tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			request.setAttribute(CLIENT, client);
			return 0;
		}
		return Math.max(1, probe.getNanosToWaitForRefill());
	}

	/**
	 * The request's key was valid: the token it took is given back.
	 */
	void authenticated(HttpServletRequest request) {
		if (request.getAttribute(CLIENT) instanceof Client client) {
			client.failed().addTokens(1);
			request.removeAttribute(CLIENT);
		}
	}

	/**
	 * @param request a request without a key
	 * @return nanoseconds until its address may send one again; 0 when it may now (a
	 * token is taken)
	 */
	long anonymous(HttpServletRequest request) {
		var probe = client(request).anonymous().tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
	}

	/**
	 * @return how many client addresses have buckets now
	 */
	long addresses() {
		this.clients.cleanUp();
		return this.clients.estimatedSize();
	}

	private Client client(HttpServletRequest request) {
		return this.clients.get(address(request.getRemoteAddr()),
				(address) -> new Client(bucket(this.anonymous.requests(), this.anonymous.period()),
						bucket(this.failed.requests(), this.failed.period())));
	}

	private static Bucket bucket(int requests, Duration period) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(requests).refillGreedy(requests, period).build())
			.build();
	}

	/**
	 * @param remote a request's remote address
	 * @return the client it counts for: an IPv4 address as it is, an IPv6 address by its
	 * /64
	 */
	static String address(String remote) {
		if (remote == null || remote.isEmpty()) {
			return "";
		}
		// an IPv6 literal: InetAddress parses it without asking DNS (a string with ':'
		// that starts with a hex digit or ':' is a literal or an error)
		if (remote.indexOf(':') >= 0 && (Character.digit(remote.charAt(0), 16) != -1 || remote.charAt(0) == ':')
				&& remote.length() <= MAX_ADDRESS) {
			try {
				InetAddress parsed = InetAddress.getByName(remote);
				if (parsed instanceof Inet6Address) {
					byte[] bytes = parsed.getAddress();
					return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
				}
				return parsed.getHostAddress();
			}
			catch (UnknownHostException | SecurityException ex) {
				// not an address: counted as the text it is
			}
		}
		return (remote.length() > MAX_ADDRESS) ? remote.substring(0, MAX_ADDRESS) : remote;
	}

	private record Client(Bucket anonymous, Bucket failed) {
	}

}
