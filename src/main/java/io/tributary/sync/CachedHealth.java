package io.tributary.sync;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A health indicator answered from its last result for a while: callers that come
 * meanwhile, together or one after the other, share one evaluation. A failed evaluation
 * is not kept.
 */
final class CachedHealth implements HealthIndicator {

	private final HealthIndicator indicator;

	private final long ttlNanos;

	private final LongSupplier nanoTime;

	private final ReentrantLock evaluating = new ReentrantLock();

	private volatile Kept kept;

	/**
	 * @param indicator the indicator
	 * @param ttl how long a result is kept
	 * @param nanoTime the clock ({@link System#nanoTime})
	 */
	CachedHealth(HealthIndicator indicator, Duration ttl, LongSupplier nanoTime) {
		this.indicator = indicator;
		this.ttlNanos = ttl.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * @return the indicator itself when nothing is to be kept, else it cached
	 */
	static HealthIndicator of(HealthIndicator indicator, Duration ttl) {
		return (ttl.isZero()) ? indicator : new CachedHealth(indicator, ttl, System::nanoTime);
	}

	@Override
	public Health health() {
		Kept current = this.kept;
		if (fresh(current)) {
			return current.health();
		}
		this.evaluating.lock();
		try {
			current = this.kept;
			if (fresh(current)) {
				return current.health();
			}
			Health health = this.indicator.health();
			this.kept = new Kept(health, this.nanoTime.getAsLong());
			return health;
		}
		finally {
			this.evaluating.unlock();
		}
	}

	private boolean fresh(Kept current) {
		return current != null && this.nanoTime.getAsLong() - current.at() < this.ttlNanos;
	}

	private record Kept(Health health, long at) {
	}

}
