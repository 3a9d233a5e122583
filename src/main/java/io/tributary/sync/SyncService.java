package io.tributary.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.interaction.InteractionWriter;
import io.tributary.interaction.SourceKind;
import io.tributary.interaction.WriteResult;
import io.tributary.source.SourceConnector;
import io.tributary.source.SourcePage;
import io.tributary.source.SourcesProperties;
import io.tributary.source.SourcesProperties.Connection;
import io.tributary.source.SyncMode;
import io.tributary.source.SyncRequest;
import io.tributary.source.UpstreamException;
import io.tributary.web.ClientProblem;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one connection: asks its connector for pages, writes each page in one transaction
 * together with the run's counts and position, and moves the watermark only when the run
 * ends well (it has then read down to the old watermark, or everything), so a run that
 * fails midway leaves the watermark where it was and the next run reads the unread pages
 * again. Every run is recorded in {@code sync_run}.
 */
@Service
public class SyncService {

	private static final Logger log = LoggerFactory.getLogger(SyncService.class);

	private final SourcesProperties sources;

	private final Map<SourceKind, SourceConnector> connectors = new EnumMap<>(SourceKind.class);

	private final InteractionWriter writer;

	private final SyncRunStore runs;

	private final CheckpointStore checkpoints;

	private final TransactionTemplate transaction;

	private final TaskExecutor executor;

	private final SyncProperties properties;

	private final MeterRegistry meters;

	private final Clock clock;

	private final LockingTaskExecutor locks;

	SyncService(SourcesProperties sources, List<SourceConnector> connectors, InteractionWriter writer,
			SyncRunStore runs, CheckpointStore checkpoints, TransactionTemplate transaction,
			@Qualifier("syncTaskScheduler") TaskExecutor syncExecutor, SyncProperties properties, MeterRegistry meters,
			Clock clock, LockingTaskExecutor locks) {
		this.sources = sources;
		connectors.forEach((connector) -> this.connectors.put(connector.kind(), connector));
		this.writer = writer;
		this.runs = runs;
		this.checkpoints = checkpoints;
		this.transaction = transaction;
		this.executor = syncExecutor;
		this.properties = properties;
		this.meters = meters;
		this.clock = clock;
		this.locks = locks;
	}

	/**
	 * Starts a run now, in the background.
	 * @param name the connection
	 * @param mode incremental or full
	 * @return the run's id
	 * @throws ClientProblem 404 for an unknown connection, 409 when it is already running
	 */
	public long trigger(String name, SyncMode mode) {
		Connection connection = connection(name);
		this.runs.abandonStale(this.properties.staleRunAfter());
		long id = this.runs.start(name, mode)
			.orElseThrow(() -> ClientProblem.conflict("Connection '" + name
					+ "' is already running a sync (see GET /api/v1/sync-runs?connection=" + name + ")"));
		this.executor.execute(() -> {
			if (!locked(name, () -> execute(id, name, connection, mode))) {
				this.runs.finish(id, false, "another process holds the lock of connection '" + name + "'");
			}
		});
		return id;
	}

	/**
	 * The scheduled run: full when no full run succeeded within
	 * {@code full-sync-interval}, else incremental; skipped when the connection is
	 * already running.
	 * @param name the connection
	 */
	void runScheduled(String name) {
		Connection connection = connection(name);
		locked(name, () -> {
			this.runs.abandonStale(this.properties.staleRunAfter());
			boolean fullDue = this.runs.latestSucceeded(name, SyncMode.FULL)
				.map((run) -> run.startedAt().isBefore(this.clock.instant().minus(connection.fullSyncInterval())))
				.orElse(true);
			SyncMode mode = fullDue ? SyncMode.FULL : SyncMode.INCREMENTAL;
			this.runs.start(name, mode)
				.ifPresentOrElse((id) -> execute(id, name, connection, mode),
						() -> log.debug("Connection '{}' is already running; this schedule tick is skipped", name));
		});
	}

	/**
	 * Runs {@code task} under the connection's ShedLock lock, so two processes never run
	 * one connection at once; waits a few seconds for a lock that is being released.
	 * @return whether the task ran
	 */
	private boolean locked(String name, Runnable task) {
		LockConfiguration lock = new LockConfiguration(this.clock.instant(), lockName(name),
				this.properties.staleRunAfter(), Duration.ZERO);
		for (int attempt = 0; attempt < 20; attempt++) {
			try {
				var result = this.locks.executeWithLock((LockingTaskExecutor.TaskWithResult<Boolean>) () -> {
					task.run();
					return true;
				}, lock);
				if (result.wasExecuted()) {
					return true;
				}
				Thread.sleep(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new IllegalStateException(ex);
			}
		}
		return false;
	}

	/** The ShedLock lock of a connection; run abandonment looks for it by this name. */
	static String lockName(String connection) {
		return "sync-" + connection;
	}

	/**
	 * Runs the recorded run {@code id} to its end, synchronously.
	 */
	void execute(long id, String name, Connection connection, SyncMode mode) {
		Timer.Sample sample = Timer.start(this.meters);
		Instant startedAt = this.clock.instant();
		SyncRequest request = new SyncRequest(name, connection, mode, this.checkpoints.watermark(name), startedAt);
		AtomicReference<Instant> newest = new AtomicReference<>(request.watermark());
		String outcome = "failed";
		try {
			SourceConnector connector = this.connectors.get(connection.type());
			for (SourcePage page : connector.fetch(request).toIterable(1)) {
				this.transaction.executeWithoutResult((status) -> {
					WriteResult written = this.writer.write(page.items(), List.of(connection.apiKey()));
					this.runs.addPage(id, page.fetched(), written);
					this.checkpoints.position(name, page.position());
				});
				if (page.newestChange() != null
						&& (newest.get() == null || page.newestChange().isAfter(newest.get()))) {
					newest.set(page.newestChange());
				}
			}
			this.transaction.executeWithoutResult((status) -> {
				this.checkpoints.advance(name, newest.get());
				this.runs.finish(id, true, null);
			});
			outcome = "succeeded";
			log.info("Sync run {} of connection '{}' ({}) succeeded in {} ms", id, name, mode.apiValue(),
					Duration.between(startedAt, this.clock.instant()).toMillis());
		}
		catch (RuntimeException ex) {
			String error = describe(ex);
			log.warn("Sync run {} of connection '{}' ({}) failed: {}", id, name, mode.apiValue(), error);
			this.runs.finish(id, false, error);
		}
		finally {
			sample.stop(this.meters.timer("tributary.sync.runs", "connection", name, "mode", mode.apiValue(), "outcome",
					outcome));
		}
	}

	Connection connection(String name) {
		Connection connection = this.sources.sources().get(name);
		if (connection == null) {
			throw ClientProblem.notFound("connection", "No connection named '" + name + "'; configured: "
					+ String.join(", ", this.sources.sources().keySet()));
		}
		return connection;
	}

	private static String describe(Throwable ex) {
		Throwable cause = ex;
		while (!(cause instanceof UpstreamException) && cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		if (cause instanceof UpstreamException upstream) {
			return upstream.getMessage();
		}
		return ex.getClass().getSimpleName() + ": " + ex.getMessage();
	}

}
