package io.tributary.security;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * One background thread for the keys: reads the stored keys every
 * {@code tributary.security.stored-keys.refresh-interval} (first when the application
 * starts, before the web server takes requests), and removes rate-limit buckets that are
 * full again once a minute.
 */
final class KeyMaintenance implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(KeyMaintenance.class);

	private static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(1);

	private final StoredKeys stored;

	private final @Nullable SharedKeyBuckets buckets;

	private final Duration refreshInterval;

	private volatile @Nullable ScheduledExecutorService scheduler;

	KeyMaintenance(StoredKeys stored, @Nullable SharedKeyBuckets buckets, Duration refreshInterval) {
		this.stored = stored;
		this.buckets = buckets;
		this.refreshInterval = refreshInterval;
	}

	@Override
	public void start() {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "api-keys");
			thread.setDaemon(true);
			return thread;
		});
		this.stored.refreshQuietly();
		long refresh = this.refreshInterval.toMillis();
		scheduler.scheduleWithFixedDelay(this.stored::refreshQuietly, refresh, refresh, TimeUnit.MILLISECONDS);
		SharedKeyBuckets shared = this.buckets;
		if (shared != null) {
			long cleanup = CLEANUP_INTERVAL.toMillis();
			scheduler.scheduleWithFixedDelay(() -> removeExpired(shared), cleanup, cleanup, TimeUnit.MILLISECONDS);
		}
		this.scheduler = scheduler;
	}

	private static void removeExpired(SharedKeyBuckets buckets) {
		try {
			int removed = buckets.removeExpired();
			log.debug("Removed {} full rate-limit buckets", removed);
		}
		catch (RuntimeException ex) {
			log.debug("Could not remove full rate-limit buckets: {}", ex.toString());
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * Before the web server (which starts in a late phase), so the first request finds
	 * the stored keys read.
	 */
	@Override
	public int getPhase() {
		return 0;
	}

}
