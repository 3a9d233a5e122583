package io.tributary.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.security}: the API keys, the default rate limit, the limits of
 * requests without a valid key per client address, and CORS.
 *
 * @param enabled false switches authentication off entirely (a warning is logged); with
 * it on, at least one key must be configured
 * @param apiKeys the keys
 * @param rateLimit the limit of every key that sets none itself
 * @param cors cross-origin access for browser dashboards
 * @param anonymousRateLimit requests without a key, per client address (the health probes
 * {@code /actuator/health/liveness} and {@code /readiness} excepted)
 * @param failedAuthRateLimit requests with a key that is not valid, per client address;
 * once used up, no key from that address is checked until a request is allowed again
 * @param rateLimitedAddresses how many client addresses the two limits above keep buckets
 * for at most (the least recently seen are forgotten first)
 */
@ConfigurationProperties("tributary.security")
public record ApiSecurityProperties(@DefaultValue("true") boolean enabled, List<ApiKey> apiKeys,
		@DefaultValue RateLimit rateLimit, @DefaultValue Cors cors, @DefaultValue AnonymousRateLimit anonymousRateLimit,
		@DefaultValue FailedAuthRateLimit failedAuthRateLimit, @DefaultValue("10000") int rateLimitedAddresses) {

	public ApiSecurityProperties {
		apiKeys = (apiKeys != null) ? List.copyOf(apiKeys) : List.of();
		anonymousRateLimit = (anonymousRateLimit != null) ? anonymousRateLimit
				: new AnonymousRateLimit(20, Duration.ofSeconds(1));
		failedAuthRateLimit = (failedAuthRateLimit != null) ? failedAuthRateLimit
				: new FailedAuthRateLimit(10, Duration.ofMinutes(1));
		if (rateLimitedAddresses < 1) {
			throw new IllegalArgumentException(
					"tributary.security.rate-limited-addresses must be at least 1, not " + rateLimitedAddresses);
		}
	}

	/**
	 * @param requests requests without a key allowed per period and client address
	 * @param period the period
	 */
	public record AnonymousRateLimit(@DefaultValue("20") int requests, @DefaultValue("PT1S") Duration period) {

		public AnonymousRateLimit {
			positive("tributary.security.anonymous-rate-limit", requests, period);
		}

	}

	/**
	 * @param requests requests with a key that is not valid allowed per period and client
	 * address
	 * @param period the period
	 */
	public record FailedAuthRateLimit(@DefaultValue("10") int requests, @DefaultValue("PT1M") Duration period) {

		public FailedAuthRateLimit {
			positive("tributary.security.failed-auth-rate-limit", requests, period);
		}

	}

	private static void positive(String prefix, int requests, Duration period) {
		if (requests < 1 || period == null || period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException(
					prefix + " must allow at least 1 request (requests) per positive period, not " + requests + " per "
							+ period);
		}
	}

	/**
	 * One key.
	 *
	 * @param name shown in logs and run records instead of the key
	 * @param key the key itself (at least 16 characters), or
	 * @param keySha256 its SHA-256, hex, so the configuration need not hold the key
	 * @param scopes what it may do
	 * @param connections when not empty, the only connections it sees
	 * @param rateLimit its own limit, overriding the default
	 * @param expiresAt when set, the key is refused from then on (401, as an unknown key
	 * is), such as {@code 2027-01-31T00:00:00Z}
	 */
	public record ApiKey(String name, String key, String keySha256, Set<Scope> scopes, List<String> connections,
			KeyRateLimit rateLimit, Instant expiresAt) {

		public ApiKey {
			scopes = (scopes != null) ? Set.copyOf(scopes) : Set.of();
			connections = (connections != null) ? List.copyOf(connections) : List.of();
		}

	}

	/**
	 * @param requests requests allowed per period (the bucket's capacity, refilled
	 * evenly)
	 * @param period the period
	 */
	public record RateLimit(@DefaultValue("100") int requests, @DefaultValue("PT1S") Duration period) {
	}

	/**
	 * A key's own limit; unset parts fall back to the default.
	 *
	 * @param requests requests per period
	 * @param period the period
	 */
	public record KeyRateLimit(Integer requests, Duration period) {
	}

	/**
	 * @param allowedOrigins origins allowed to call the API from a browser, such as
	 * {@code https://dash.example.com}; none by default
	 * @param maxAge how long a browser may cache a preflight answer
	 */
	public record Cors(List<String> allowedOrigins, @DefaultValue("PT30M") Duration maxAge) {

		public Cors {
			allowedOrigins = (allowedOrigins != null) ? List.copyOf(allowedOrigins) : List.of();
		}

	}

}
