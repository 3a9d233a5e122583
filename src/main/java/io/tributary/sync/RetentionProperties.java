package io.tributary.sync;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.retention}: how long interactions are kept. Off unless {@code max-age}
 * is set.
 *
 * @param maxAge interactions created longer ago than this are deleted, and syncs no
 * longer store them (so a full run does not bring them back); null keeps everything
 * @param batchSize rows one {@code DELETE} removes (each batch is its own transaction, so
 * a purge never holds long locks or a huge transaction)
 * @param interval how often the purge runs (on one replica at a time)
 */
@ConfigurationProperties("tributary.retention")
record RetentionProperties(@Nullable Duration maxAge, @DefaultValue("1000") int batchSize,
		@DefaultValue("PT1H") Duration interval) {

	RetentionProperties {
		if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
			throw new IllegalArgumentException("tributary.retention.max-age must be positive, was " + maxAge);
		}
		if (batchSize < 1 || batchSize > 100_000) {
			throw new IllegalArgumentException(
					"tributary.retention.batch-size must be between 1 and 100000, was " + batchSize);
		}
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("tributary.retention.interval must be positive, was " + interval);
		}
	}

}
