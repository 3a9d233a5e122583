package io.tributary.sync;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A health indicator answered from its last result for a while: callers that come
 * meanwhile, together or one after the other, share one evaluation. A failed evaluation
 * is not kept.
 */
final class CachedHealth implements HealthIndicator {

	private final Kept<Health> kept;

	/**
	 * @param indicator the indicator
	 * @param ttl how long a result is kept
	 * @param nanoTime the clock ({@link System#nanoTime})
	 */
	CachedHealth(HealthIndicator indicator, Duration ttl, LongSupplier nanoTime) {
		this.kept = new Kept<>(indicator::health, ttl, nanoTime);
	}

	/**
	 * @return the indicator itself when nothing is to be kept, else it cached
	 */
	static HealthIndicator of(HealthIndicator indicator, Duration ttl) {
		return (ttl.isZero()) ? indicator : new CachedHealth(indicator, ttl, System::nanoTime);
	}

	@Override
	public Health health() {
		return this.kept.get();
	}

}
