package io.tributary.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buckets of the API keys in PostgreSQL ({@code rate_limit_bucket}), shared by every
 * replica: each request locks its key's row ({@code SELECT ... FOR UPDATE}), takes a
 * token and writes the row back, in one short transaction on the limiter's own small
 * pool.
 * <p>
 * It fails open to this process's buckets: when the database does not answer in time or
 * fails, the request takes a token of a {@link LocalKeyBuckets} bucket instead, and so do
 * all requests for the next {@code retry-database-after}, so the limit still holds per
 * replica, and no request fails or waits on the limiter for longer than its pool's
 * connection timeout or its statement timeout. A full bucket is the same as none, so rows
 * expire once full and are removed in small batches ({@link #removeExpired()}).
 */
final class SharedKeyBuckets implements KeyBuckets {

	private static final Logger log = LoggerFactory.getLogger(SharedKeyBuckets.class);

	/** Rows past their expiry removed per call of {@link #removeExpired()}. */
	static final int REMOVE_BATCH = 1000;

	/** A bucket's row is kept this long after it would be full again. */
	private static final Duration KEEP_FULL = Duration.ofSeconds(10);

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;

	private final Cache<String, BucketProxy> buckets = Caffeine.newBuilder()
		.maximumSize(LocalKeyBuckets.MAX_BUCKETS)
		.build();

	private final LocalKeyBuckets fallback = new LocalKeyBuckets();

	private final long retryNanos;

	/** {@link System#nanoTime()} from which the database is tried again. */
	private final AtomicLong databaseAgainAt = new AtomicLong(System.nanoTime());

	private volatile boolean failing;

	private final Counter fallbacks;

	SharedKeyBuckets(DataSource pool, Duration retryDatabaseAfter, MeterRegistry meters) {
		this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(pool)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("rate_limit_bucket")
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_FULL))
			.build();
		this.retryNanos = retryDatabaseAfter.toNanos();
		this.fallbacks = Counter.builder("tributary.rate.limit.fallbacks")
			.description("Requests whose key's token came from this process's bucket, the database not answering")
			.register(meters);
	}

	@Override
	public ConsumptionProbe tryConsume(ApiKeys.Key key) {
		if (System.nanoTime() - this.databaseAgainAt.get() >= 0) {
			try {
				ConsumptionProbe probe = this.buckets
					.get(key.bucketId(), (id) -> this.proxies.builder().build(id, key::bucketConfiguration))
					.tryConsumeAndReturnRemaining(1);
				if (this.failing) {
					this.failing = false;
					log.info("The rate-limit buckets in the database answer again: the per-key limits hold across "
							+ "replicas again");
				}
				return probe;
			}
			catch (RuntimeException ex) {
				this.databaseAgainAt.set(System.nanoTime() + this.retryNanos);
				if (!this.failing) {
					this.failing = true;
					log.warn(
							"The rate-limit buckets in the database did not answer ({}): for {} each replica limits "
									+ "each key with its own buckets",
							ex.toString(), Duration.ofNanos(this.retryNanos));
				}
			}
		}
		this.fallbacks.increment();
		return this.fallback.tryConsume(key);
	}

	/**
	 * Removes up to {@value #REMOVE_BATCH} buckets that are full again (rows another
	 * replica removes at the same time are skipped, not waited for).
	 * @return how many were removed
	 */
	int removeExpired() {
		return this.proxies.removeExpired(REMOVE_BATCH);
	}

}
