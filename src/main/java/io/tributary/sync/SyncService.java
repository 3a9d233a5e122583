package io.tributary.sync;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Connections;
import io.tributary.source.SyncMode;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Service;

/**
 * The entry to the sync: a triggered run (in the background, read to its end) or a poll
 * (an incremental run, then a slice of the full pass when one is due), each under its
 * connection's lock and recorded in {@code sync_run} before it starts; and the lifecycle
 * of the runs under way in this process (on shutdown they stop after the page in flight).
 * What a run does is {@link SyncRunner}'s.
 */
@Service
class SyncService implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SyncService.class);

	private final Connections connections;

	private final SyncRunStore runs;

	private final ConnectionLocks locks;

	private final SyncRunner runner;

	private final RunTracing tracing;

	private final TaskExecutor executor;

	private final SyncMetrics metrics;

	private final FullPasses passes;

	private final SyncProperties properties;

	private final Set<Long> active = ConcurrentHashMap.newKeySet();

	private volatile boolean stopping;

	private volatile boolean running;

	SyncService(Connections connections, SyncRunStore runs, ConnectionLocks locks, SyncRunner runner,
			RunTracing tracing, @Qualifier("syncTaskScheduler") TaskExecutor syncExecutor, SyncMetrics metrics,
			FullPasses passes, SyncProperties properties) {
		this.passes = passes;
		this.connections = connections;
		this.runs = runs;
		this.locks = locks;
		this.runner = runner;
		this.tracing = tracing;
		this.executor = syncExecutor;
		this.metrics = metrics;
		this.properties = properties;
	}

	/**
	 * Starts a run now, in the background. The connection's lock is taken here, before
	 * answering, and handed to the run, which releases it when it ends.
	 * @param name the connection
	 * @param mode incremental, full or renormalize
	 * @return the run's id
	 * @throws io.tributary.source.ConnectionNotFound for an unknown connection
	 * @throws RunAlreadyRunning when it is already running, here or elsewhere
	 */
	long trigger(String name, SyncMode mode) {
		ConfiguredConnection connection = this.connections.get(name);
		if (this.stopping) {
			throw new RunAlreadyRunning(name, "the gateway is shutting down; runs start again when it is back");
		}
		SimpleLock lock = this.locks.tryLock(name).orElseThrow(() -> new RunAlreadyRunning(name));
		try {
			abandonLockedOut(name);
			long id = this.runs.start(name, mode).orElseThrow(() -> new RunAlreadyRunning(name));
			this.executor.execute(() -> {
				try {
					execute(id, connection, mode);
				}
				finally {
					lock.unlock();
				}
			});
			return id;
		}
		catch (RuntimeException ex) {
			lock.unlock();
			throw ex;
		}
	}

	/**
	 * A poll: first an incremental run, which reads every stream's head and commits it
	 * whatever a pass is doing; then, when a full pass is due or open and not backing off
	 * ({@link FullPasses}), a slice of it: a full run that reads on from the pass's saved
	 * positions for {@code tributary.sync.pass-slice} and pauses. Both under the
	 * connection's lock; skipped when the connection is running elsewhere.
	 * @param name the connection
	 */
	void runScheduled(String name) {
		ConfiguredConnection connection = this.connections.get(name);
		if (this.stopping) {
			return;
		}
		Optional<SimpleLock> lock = this.locks.tryLock(name);
		if (lock.isEmpty()) {
			log.debug("Connection '{}' is running elsewhere; this schedule tick is skipped", name);
			return;
		}
		try {
			abandonLockedOut(name);
			Duration slice = this.properties.passSlice();
			this.runs.start(name, SyncMode.INCREMENTAL)
				.ifPresent((id) -> execute(id, connection, SyncMode.INCREMENTAL, null));
			if (!this.stopping && this.passes.due(connection)) {
				this.runs.start(name, SyncMode.FULL).ifPresent((id) -> execute(id, connection, SyncMode.FULL, slice));
			}
		}
		finally {
			lock.get().unlock();
		}
	}

	/**
	 * Records the connection's runs that no process runs any more (the caller holds its
	 * lock) as abandoned, and says so.
	 */
	private void abandonLockedOut(String name) {
		int abandoned = this.runs.abandonLockedOut(name);
		if (abandoned > 0) {
			log.warn("Connection '{}': {} sync run(s) whose process stopped before they finished recorded as failed "
					+ "(abandoned); the connection runs again now", name, abandoned);
		}
	}

	/**
	 * Runs the recorded run {@code id} to its end, synchronously, in a trace of its own.
	 */
	void execute(long id, ConfiguredConnection connection, SyncMode mode) {
		execute(id, connection, mode, null);
	}

	/**
	 * Runs the recorded run {@code id}, synchronously, in a trace of its own.
	 * @param slice how long it may read before it pauses; null to read to its end
	 */
	void execute(long id, ConfiguredConnection connection, SyncMode mode, @Nullable Duration slice) {
		this.active.add(id);
		try {
			this.tracing.traced(connection, id,
					() -> this.runner.run(id, connection, mode, () -> this.stopping, slice));
		}
		finally {
			this.active.remove(id);
		}
	}

	/**
	 * Shutdown: runs stop after the page in flight is committed and record themselves as
	 * interrupted, releasing their locks; runs still waiting on an upstream after
	 * {@code shutdown-wait} are recorded as interrupted here, and their locks lapse
	 * within one lease.
	 */
	@Override
	public void stop() {
		this.stopping = true;
		long deadline = System.nanoTime() + this.properties.shutdownWait().toNanos();
		while (!this.active.isEmpty() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		for (Long id : Set.copyOf(this.active)) {
			this.runs.interrupt(id);
			log.warn("Sync run {} was still waiting on its upstream at shutdown; recorded as interrupted", id);
		}
		this.running = false;
	}

	@Override
	public void start() {
		this.stopping = false;
		this.running = true;
		for (ConfiguredConnection connection : this.connections.all()) {
			this.metrics.gauges(connection);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops before the web server and the task executors, so runs end while both still
	 * work.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
