package io.tributary.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.security.stored-keys}: the API keys added while the gateway runs
 * ({@code /api/v1/api-keys}), kept in PostgreSQL as SHA-256 digests and read by every
 * replica.
 *
 * @param refreshInterval how often each replica reads the stored keys again: a key added,
 * expired or revoked through another replica takes effect here within this time (through
 * this replica, at once)
 * @param maxStaleness a replica that could not read the stored keys for this long refuses
 * them all (configured keys keep working), so a key revoked meanwhile cannot go on
 * working on a replica cut off from the database
 * @param maxActive the most stored keys that may be active (neither expired nor revoked)
 * at once; creating one more is refused with 409
 */
@ConfigurationProperties("tributary.security.stored-keys")
public record StoredKeysProperties(@DefaultValue("PT2S") Duration refreshInterval,
		@DefaultValue("PT30S") Duration maxStaleness, @DefaultValue("1000") int maxActive) {

	public StoredKeysProperties {
		if (refreshInterval.toMillis() < 100) {
			throw new IllegalArgumentException(
					"tributary.security.stored-keys.refresh-interval must be at least 100ms, not " + refreshInterval);
		}
		if (maxStaleness.compareTo(refreshInterval.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException("tributary.security.stored-keys.max-staleness (" + maxStaleness
					+ ") must be at least twice tributary.security.stored-keys.refresh-interval (" + refreshInterval
					+ "), or one slow read would refuse every stored key");
		}
		if (maxActive < 1) {
			throw new IllegalArgumentException(
					"tributary.security.stored-keys.max-active must be at least 1, not " + maxActive);
		}
	}

}
