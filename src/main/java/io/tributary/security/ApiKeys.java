package io.tributary.security;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.tributary.common.Digests;
import io.tributary.security.ApiSecurityProperties.KeyRateLimit;
import io.tributary.security.ApiSecurityProperties.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * The configured API keys, checked when the application starts, and the lookup of a
 * presented key. Only SHA-256 digests are kept; a presented key is hashed and compared
 * with every configured digest in constant time, so neither the comparison nor the number
 * of keys compared tells an attacker how close a guess was.
 */
class ApiKeys {

	private static final String PREFIX = "tributary.security.api-keys";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

	static final int MIN_KEY_LENGTH = 16;

	private final List<Key> keys;

	/**
	 * @param properties the configuration
	 * @param connections the configured connection names, which a key's
	 * {@code connections} must name
	 */
	ApiKeys(ApiSecurityProperties properties, Set<String> connections) {
		List<Key> resolved = new ArrayList<>();
		Set<String> names = new HashSet<>();
		Set<String> digests = new HashSet<>();
		List<ApiSecurityProperties.ApiKey> configured = properties.apiKeys();
		for (int i = 0; i < configured.size(); i++) {
			Key key = resolve(PREFIX + "[" + i + "].", configured.get(i), connections, properties.rateLimit());
			if (!names.add(key.name())) {
				throw new IllegalArgumentException(PREFIX + "[" + i + "].name '" + key.name()
						+ "' is used by another key: give every key its own name");
			}
			if (!digests.add(HexFormat.of().formatHex(key.sha256()))) {
				throw new IllegalArgumentException(
						PREFIX + "[" + i + "] (key '" + key.name() + "') is the same secret as another key");
			}
			resolved.add(key);
		}
		this.keys = List.copyOf(resolved);
	}

	boolean isEmpty() {
		return this.keys.isEmpty();
	}

	List<Key> all() {
		return this.keys;
	}

	/**
	 * @param presented the key a client sent
	 * @return the configured key it matches
	 */
	Optional<Key> find(String presented) {
		return find(Digests.sha256(presented));
	}

	/**
	 * @param digest the SHA-256 of the key a client sent
	 * @return the configured key it matches
	 */
	Optional<Key> find(byte[] digest) {
		Key found = null;
		for (Key key : this.keys) {
			if (MessageDigest.isEqual(digest, key.sha256()) && found == null) {
				found = key;
			}
		}
		return Optional.ofNullable(found);
	}

	private static Key resolve(String prefix, ApiSecurityProperties.ApiKey key, Set<String> connections,
			RateLimit defaults) {
		if (key.name() == null || !NAME.matcher(key.name()).matches()) {
			throw new IllegalArgumentException(prefix + "name is required: letters, digits, '.', '_' or '-', "
					+ "at most 64 (it names the key in logs instead of the secret)");
		}
		String which = " (key '" + key.name() + "')";
		boolean hasKey = key.key() != null && !key.key().isEmpty();
		boolean hasDigest = key.keySha256() != null && !key.keySha256().isEmpty();
		if (hasKey == hasDigest) {
			throw new IllegalArgumentException(
					prefix + "key or " + prefix + "key-sha256 is required, not both" + which);
		}
		byte[] sha256;
		if (hasKey) {
			if (key.key().length() < MIN_KEY_LENGTH || key.key().isBlank()) {
				throw new IllegalArgumentException(
						prefix + "key must be at least " + MIN_KEY_LENGTH + " characters" + which);
			}
			sha256 = Digests.sha256(key.key());
		}
		else {
			if (!SHA256_HEX.matcher(key.keySha256()).matches()) {
				throw new IllegalArgumentException(
						prefix + "key-sha256 must be 64 hexadecimal digits, such as the output of "
								+ "`printf %s \"$KEY\" | sha256sum`" + which);
			}
			sha256 = HexFormat.of().parseHex(key.keySha256().toLowerCase(Locale.ROOT));
		}
		if (key.scopes().isEmpty()) {
			throw new IllegalArgumentException(prefix + "scopes must name read, operate or both" + which);
		}
		for (String connection : key.connections()) {
			if (!connections.contains(connection)) {
				throw new IllegalArgumentException(
						prefix + "connections names '" + connection + "', which is not a configured connection" + which
								+ "; configured: " + String.join(", ", new java.util.TreeSet<>(connections)));
			}
		}
		KeyRateLimit own = key.rateLimit();
		int requests = (own != null && own.requests() != null) ? own.requests() : defaults.requests();
		Duration period = (own != null && own.period() != null) ? own.period() : defaults.period();
		if (requests < 1 || period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException(
					prefix + "rate-limit must allow at least 1 request per positive period" + which);
		}
		return new Key(key.name(), sha256, key.scopes(), Set.copyOf(key.connections()), requests, period,
				key.expiresAt());
	}

	/**
	 * A key, configured or stored, resolved.
	 *
	 * @param name its name
	 * @param sha256 the digest of the secret
	 * @param scopes what it may do
	 * @param connections the only connections it sees; empty for all
	 * @param requests requests per period
	 * @param period the rate-limit period
	 * @param expiresAt when it stops working; null for never
	 */
	record Key(String name, byte[] sha256, Set<Scope> scopes, Set<String> connections, int requests, Duration period,
			@Nullable Instant expiresAt) {

		/**
		 * @return its token bucket: {@link #requests} tokens, refilled evenly over
		 * {@link #period}
		 */
		BucketConfiguration bucketConfiguration() {
			return BucketConfiguration.builder().addLimit(bandwidth()).build();
		}

		Bandwidth bandwidth() {
			return Bandwidth.builder().capacity(this.requests).refillGreedy(this.requests, this.period).build();
		}

		/**
		 * @return the name of its bucket: its name and its limit, so a changed limit
		 * starts a bucket of its own instead of inheriting one of another size
		 */
		String bucketId() {
			return this.name + ":" + this.requests + "/" + this.period.toMillis() + "ms";
		}

		/**
		 * @param now the time
		 * @return whether it has expired by then
		 */
		boolean expiredAt(Instant now) {
			return this.expiresAt != null && !now.isBefore(this.expiresAt);
		}

		@Override
		public String toString() {
			return "Key[" + this.name + "]";
		}

	}

}
