package io.tributary.sync;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A value read again only once its last reading is older than a time to live: callers
 * that come meanwhile, together or one after the other, share one reading. A failed
 * reading is not kept. What the connections' health and gauges are answered from, so
 * neither reads the run records at its callers' pace.
 *
 * @param <T> the value
 */
final class Kept<T> {

	private final Supplier<T> reading;

	private final long ttlNanos;

	private final LongSupplier nanoTime;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile Value<T> kept;

	/**
	 * @param reading what reads the value
	 * @param ttl how long a reading is kept ({@code 0}: read on every call)
	 * @param nanoTime the clock ({@link System#nanoTime})
	 */
	Kept(Supplier<T> reading, Duration ttl, LongSupplier nanoTime) {
		this.reading = reading;
		this.ttlNanos = ttl.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * @return the kept value while it is fresh, else a new reading
	 */
	T get() {
		if (this.ttlNanos == 0) {
			return this.reading.get();
		}
		Value<T> current = this.kept;
		if (fresh(current)) {
			return current.value();
		}
		this.lock.lock();
		try {
			current = this.kept;
			if (fresh(current)) {
				return current.value();
			}
			T value = this.reading.get();
			this.kept = new Value<>(value, this.nanoTime.getAsLong());
			return value;
		}
		finally {
			this.lock.unlock();
		}
	}

	private boolean fresh(Value<T> current) {
		return current != null && this.nanoTime.getAsLong() - current.at() < this.ttlNanos;
	}

	private record Value<T>(T value, long at) {
	}

}
