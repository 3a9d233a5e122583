package io.tributary.sync;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.sync.pool}: the sync's own database connections, apart from the pool
 * that serves the API, so that no reader can take the capacity a run commits with. The
 * schema migrations run on it too (without the API's statement timeout).
 *
 * @param size connections in the pool; by default one per sync thread (the number of
 * connections plus one, at least two) plus two for lock renewal and retention
 * @param connectionTimeout how long a sync write waits for a free connection before it
 * fails
 */
@ConfigurationProperties("tributary.sync.pool")
record SyncPoolProperties(@Nullable Integer size, @DefaultValue("PT30S") Duration connectionTimeout) {

	SyncPoolProperties {
		if (size != null && (size < 2 || size > 1000)) {
			throw new IllegalArgumentException("tributary.sync.pool.size must be between 2 and 1000, was " + size);
		}
		if (connectionTimeout.toMillis() < 250) {
			throw new IllegalArgumentException(
					"tributary.sync.pool.connection-timeout must be at least 250ms, was " + connectionTimeout);
		}
	}

	/**
	 * @param threads the sync's threads
	 * @return the pool's size
	 */
	int sizeFor(int threads) {
		return (this.size != null) ? this.size : threads + 2;
	}

}
