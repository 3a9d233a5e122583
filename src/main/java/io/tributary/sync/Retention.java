package io.tributary.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.common.Rows;
import io.tributary.common.SyncDatabase;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes interactions older than {@code tributary.retention.max-age}, oldest first, in
 * batches of {@code batch-size} rows, each batch its own statement and transaction, under
 * a lock so one replica purges at a time. Syncs skip items older than the same cutoff
 * ({@link #cutoff()}), so a full run never brings a purged row back.
 */
@Component
class Retention {

	private static final Logger log = LoggerFactory.getLogger(Retention.class);

	static final String LOCK = "retention";

	private final JdbcClient jdbc;

	private final RetentionProperties properties;

	private final LockProvider locks;

	private final Clock clock;

	private final Counter deleted;

	Retention(@SyncDatabase JdbcClient jdbc, RetentionProperties properties, LockProvider syncLocks, Clock clock,
			MeterRegistry meters) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.locks = syncLocks;
		this.clock = clock;
		this.deleted = Counter.builder("tributary.retention.deleted")
			.description("Interactions deleted for being older than tributary.retention.max-age")
			.register(meters);
	}

	boolean enabled() {
		return this.properties.maxAge() != null;
	}

	/**
	 * @return items created before this are neither kept nor stored; null when retention
	 * is off
	 */
	/**
	 * @return {@code max-age}; null when retention is off
	 */
	@Nullable Duration maxAge() {
		return this.properties.maxAge();
	}

	@Nullable Instant cutoff() {
		Duration maxAge = this.properties.maxAge();
		return (maxAge != null) ? this.clock.instant().minus(maxAge) : null;
	}

	/**
	 * The scheduled purge: skipped when another replica is purging.
	 */
	void purgeScheduled() {
		Instant cutoff = cutoff();
		if (cutoff == null) {
			return;
		}
		Optional<SimpleLock> lock = this.locks
			.lock(new LockConfiguration(this.clock.instant(), LOCK, Duration.ofMinutes(10), Duration.ZERO));
		if (lock.isEmpty()) {
			log.debug("Retention is running elsewhere; this tick is skipped");
			return;
		}
		try {
			Purge purge = purge(cutoff, this.properties.batchSize());
			if (purge.deleted() > 0) {
				log.info("Retention deleted {} interaction(s) created before {} in {} batch(es)", purge.deleted(),
						cutoff, purge.batches());
			}
		}
		finally {
			lock.get().unlock();
		}
	}

	/**
	 * Deletes every interaction created before {@code cutoff}, oldest first, at most
	 * {@code batchSize} rows per statement.
	 * @param cutoff creation time before which rows go
	 * @param batchSize rows per statement
	 * @return what was deleted
	 */
	Purge purge(Instant cutoff, int batchSize) {
		long total = 0;
		int batches = 0;
		while (true) {
			int deleted = this.jdbc
				.sql("DELETE FROM interaction WHERE id IN (SELECT id FROM interaction WHERE created_at < :cutoff "
						+ "ORDER BY created_at LIMIT :batch)")
				.param("cutoff", Rows.timestamp(cutoff))
				.param("batch", batchSize)
				.update();
			if (deleted == 0) {
				break;
			}
			batches++;
			total += deleted;
			this.deleted.increment(deleted);
			if (deleted < batchSize) {
				break;
			}
		}
		return new Purge(total, batches);
	}

	/**
	 * @param deleted rows deleted
	 * @param batches statements that deleted rows
	 */
	record Purge(long deleted, int batches) {
	}

}
