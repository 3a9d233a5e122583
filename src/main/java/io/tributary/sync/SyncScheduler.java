package io.tributary.sync;

import io.tributary.source.Connections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * One fixed-delay trigger per enabled connection, every {@code poll-interval}, under a
 * ShedLock lock named after the connection so two replicas never run it at once. A
 * trigger only asks {@link SyncService} to run; {@code @Scheduled} cannot be used because
 * each connection has its own interval. Every lock lease, runs whose process died are
 * recorded as such; retention purges on its own interval.
 */
@Component
class SyncScheduler implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(SyncScheduler.class);

	private final Connections connections;

	private final SyncProperties properties;

	private final SyncService sync;

	private final ThreadPoolTaskScheduler scheduler;

	private final Retention retention;

	private final RetentionProperties retentionProperties;

	private final SyncRunStore runs;

	SyncScheduler(Connections connections, SyncProperties properties, SyncService sync,
			ThreadPoolTaskScheduler syncTaskScheduler, Retention retention, RetentionProperties retentionProperties,
			SyncRunStore runs) {
		this.runs = runs;
		this.retention = retention;
		this.retentionProperties = retentionProperties;
		this.connections = connections;
		this.properties = properties;
		this.sync = sync;
		this.scheduler = syncTaskScheduler;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.setTaskScheduler(this.scheduler);
		if (!this.properties.schedulingEnabled()) {
			log.info("Scheduled syncs are off (tributary.sync.scheduling-enabled=false)");
			return;
		}
		this.connections.all().forEach((configured) -> {
			var connection = configured.connection();
			if (connection.enabled()) {
				registrar.addFixedDelayTask(new FixedDelayTask(() -> runLocked(configured.name()),
						connection.pollInterval(), this.properties.initialDelay()));
				log.info("Connection '{}' ({}) syncs every {}, fully every {}", configured.name(), configured.kind(),
						connection.pollInterval(), connection.fullSyncInterval());
			}
		});
		registrar.addFixedDelayTask(
				new FixedDelayTask(this::abandonOrphans, this.properties.lockLease(), this.properties.initialDelay()));
		if (this.retention.enabled()) {
			registrar.addFixedDelayTask(new FixedDelayTask(this::purge, this.retentionProperties.interval(),
					this.properties.initialDelay()));
			log.info("Interactions older than {} are deleted every {}, {} rows per batch",
					this.retentionProperties.maxAge(), this.retentionProperties.interval(),
					this.retentionProperties.batchSize());
		}
	}

	/**
	 * Records the runs whose process died (still recorded as running, their connection's
	 * lock gone) as failed, every lock lease: reads show them so already (see
	 * {@link SyncRunStore}), and a connection's next run records its own, but a disabled
	 * connection has none.
	 */
	void abandonOrphans() {
		try {
			int abandoned = this.runs.abandonOrphans();
			if (abandoned > 0) {
				log.info("Recorded {} sync run(s) whose process stopped before they finished as failed", abandoned);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Runs whose process stopped could not be recorded as failed: {}", ex.toString());
		}
	}

	private void purge() {
		try {
			this.retention.purgeScheduled();
		}
		catch (RuntimeException ex) {
			log.error("Retention could not run", ex);
		}
	}

	private void runLocked(String name) {
		try {
			this.sync.runScheduled(name);
		}
		catch (RuntimeException ex) {
			log.error("Scheduled sync of connection '{}' could not run", name, ex);
		}
	}

}
