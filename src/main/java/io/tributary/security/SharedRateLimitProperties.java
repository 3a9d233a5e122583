package io.tributary.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.security.shared-rate-limit}: the per-key rate limits held in
 * PostgreSQL, so every replica together lets a key send its limit (Bucket4j's PostgreSQL
 * proxy: one row per key, read and written under {@code SELECT ... FOR UPDATE}).
 *
 * @param enabled false keeps each key's bucket in each process, as before: with N
 * replicas a key may then send N times its limit
 * @param poolSize connections of the limiter's own pool ({@code rate-limit} in the
 * {@code hikaricp.*} metrics): the limiter never takes one of the API's, nor the API one
 * of its
 * @param connectionTimeout how long a request waits for one of them (at least 250ms,
 * Hikari's least)
 * @param statementTimeout the longest one statement of the limiter may run, waiting for
 * the key's row included
 * @param retryDatabaseAfter when the database fails the limiter (no connection, a
 * timeout, an error), requests use this process's own buckets for this long before the
 * database is tried again: the limit then holds per replica, and a request never fails or
 * waits because of the limiter
 */
@ConfigurationProperties("tributary.security.shared-rate-limit")
public record SharedRateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("4") int poolSize,
		@DefaultValue("PT0.25S") Duration connectionTimeout, @DefaultValue("PT0.5S") Duration statementTimeout,
		@DefaultValue("PT5S") Duration retryDatabaseAfter) {

	public SharedRateLimitProperties {
		if (poolSize < 1) {
			throw new IllegalArgumentException(
					"tributary.security.shared-rate-limit.pool-size must be at least 1, not " + poolSize);
		}
		if (connectionTimeout.toMillis() < 250) {
			throw new IllegalArgumentException(
					"tributary.security.shared-rate-limit.connection-timeout must be at least 250ms, not "
							+ connectionTimeout);
		}
		if (statementTimeout.toMillis() < 1) {
			throw new IllegalArgumentException(
					"tributary.security.shared-rate-limit.statement-timeout must be positive, not " + statementTimeout);
		}
		if (retryDatabaseAfter.isNegative()) {
			throw new IllegalArgumentException(
					"tributary.security.shared-rate-limit.retry-database-after must not be negative, not "
							+ retryDatabaseAfter);
		}
	}

}
