package io.tributary.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.tributary.interaction.InteractionWriter;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.interaction.StoredInteractions;
import io.tributary.interaction.WriteResult;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Connections;
import io.tributary.source.Existence;
import io.tributary.source.KnownVersions;
import io.tributary.source.Rejected;
import io.tributary.source.SyncRequest;
import io.tributary.hygiene.SecretText;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import io.tributary.source.UpstreamException;
import io.tributary.sync.StreamStore.StreamState;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.BooleanNode;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
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
public class SyncService implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SyncService.class);

	private final Connections connections;

	private final InteractionWriter writer;

	private final SyncRunStore runs;

	/** The attribute that marks a row whose upstream times lie in the future. */
	static final String FUTURE_FLAG = "timestampInFuture";

	private final StreamStore streams;

	private final TransactionTemplate transaction;

	private final TaskExecutor executor;

	private final SyncProperties properties;

	private final MeterRegistry meters;

	private final Clock clock;

	private final LockProvider locks;

	private final RejectStore rejects;

	private final StoredInteractions stored;

	private final DeletionStore deletions;

	/**
	 * What is stored of each connection's items: incremental runs stop at pages held
	 * unchanged.
	 */
	private final KnownVersions known;

	private final Freshness freshness;

	private final Tracer tracer;

	private final Retention retention;

	/**
	 * The most unlisted rows one pass asks the upstream about; the rest wait for the next
	 * pass.
	 */
	static final int MAX_DELETION_CHECKS = 1000;

	private final Set<Long> active = ConcurrentHashMap.newKeySet();

	/** The runs under way in this process, by connection: progress gauges read them. */
	private final Map<String, RunProgress> progress = new ConcurrentHashMap<>();

	private volatile boolean stopping;

	private volatile boolean running;

	SyncService(Connections connections, InteractionWriter writer, SyncRunStore runs, StreamStore streams,
			@Qualifier("syncTransactions") TransactionTemplate transaction,
			@Qualifier("syncTaskScheduler") TaskExecutor syncExecutor, SyncProperties properties, MeterRegistry meters,
			Clock clock, LockProvider syncLocks, RejectStore rejects, StoredInteractions stored,
			DeletionStore deletions, Freshness freshness, Tracer tracer, Retention retention) {
		this.retention = retention;
		this.freshness = freshness;
		this.tracer = tracer;
		this.deletions = deletions;
		this.rejects = rejects;
		this.stored = stored;
		this.known = new StoredVersions(stored);
		this.connections = connections;
		this.writer = writer;
		this.runs = runs;
		this.streams = streams;
		this.transaction = transaction;
		this.executor = syncExecutor;
		this.properties = properties;
		this.meters = meters;
		this.clock = clock;
		this.locks = syncLocks;
	}

	/**
	 * Starts a run now, in the background. The connection's lock is taken here, before
	 * answering, and handed to the run, which releases it when it ends.
	 * @param name the connection
	 * @param mode incremental or full
	 * @return the run's id
	 * @throws io.tributary.source.ConnectionNotFound for an unknown connection
	 * @throws RunAlreadyRunning when it is already running, here or elsewhere
	 */
	public long trigger(String name, SyncMode mode) {
		ConfiguredConnection connection = this.connections.get(name);
		if (this.stopping) {
			throw new RunAlreadyRunning(name, "the gateway is shutting down; runs start again when it is back");
		}
		SimpleLock lock = lock(name).orElseThrow(() -> new RunAlreadyRunning(name));
		try {
			this.runs.abandonLockedOut(name);
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
	 * The scheduled run: full when no full run succeeded within
	 * {@code full-sync-interval}, else incremental; skipped when the connection is
	 * already running.
	 * @param name the connection
	 */
	void runScheduled(String name) {
		ConfiguredConnection connection = this.connections.get(name);
		if (this.stopping) {
			return;
		}
		Optional<SimpleLock> lock = lock(name);
		if (lock.isEmpty()) {
			log.debug("Connection '{}' is running elsewhere; this schedule tick is skipped", name);
			return;
		}
		try {
			this.runs.abandonLockedOut(name);
			boolean fullDue = this.runs.latestSucceeded(name, SyncMode.FULL)
				.map((run) -> run.startedAt()
					.isBefore(this.clock.instant().minus(connection.connection().fullSyncInterval())))
				.orElse(true);
			SyncMode mode = fullDue ? SyncMode.FULL : SyncMode.INCREMENTAL;
			this.runs.start(name, mode)
				.ifPresentOrElse((id) -> execute(id, connection, mode),
						() -> log.debug("Connection '{}' is already running; this schedule tick is skipped", name));
		}
		finally {
			lock.get().unlock();
		}
	}

	/**
	 * Takes the connection's ShedLock lock without waiting, so two processes never run
	 * one connection at once.
	 * @return the lock, or empty when another run holds it
	 */
	private Optional<SimpleLock> lock(String name) {
		return this.locks.lock(new LockConfiguration(this.clock.instant(), lockName(name), this.properties.lockLease(),
				Duration.ZERO));
	}

	/** The ShedLock lock of a connection; run abandonment looks for it by this name. */
	static String lockName(String connection) {
		return "sync-" + connection;
	}

	/**
	 * Runs the recorded run {@code id} to its end, synchronously, in a trace of its own:
	 * every line it logs carries the trace id, the connection and the run id.
	 */
	void execute(long id, ConfiguredConnection connection, SyncMode mode) {
		Span span = this.tracer.nextSpan().name("sync run").tag("connection", connection.name()).start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span);
				MDC.MDCCloseable named = MDC.putCloseable("connection", connection.name());
				MDC.MDCCloseable run = MDC.putCloseable("syncRun", Long.toString(id))) {
			run(id, connection, mode);
		}
		finally {
			span.end();
		}
	}

	/**
	 * A full run resumes the pass of a full run that stopped (failed or interrupted)
	 * within {@code resume-within}: streams that pass finished are skipped, the others
	 * read on from the page it last committed.
	 */
	private void run(long id, ConfiguredConnection connection, SyncMode mode) {
		String name = connection.name();
		Timer.Sample sample = Timer.start(this.meters);
		Instant startedAt = this.clock.instant();
		Instant horizon = startedAt.plus(this.properties.clockSkew());
		long started = System.nanoTime();
		String outcome = "failed";
		String error = null;
		this.active.add(id);
		this.progress.put(name, new RunProgress(mode));
		gauges(connection);
		try {
			if (mode == SyncMode.RENORMALIZE) {
				if (remapStored(id, connection, horizon)) {
					this.runs.finish(id, true, null);
					outcome = "succeeded";
				}
				else {
					outcome = "interrupted";
				}
				return;
			}
			Map<String, StreamState> streams = this.streams.load(name);
			Map<String, Instant> watermarks = new HashMap<>();
			streams.forEach((stream, state) -> {
				if (state.watermark() != null) {
					watermarks.put(stream, state.watermark());
				}
			});
			Long passId = null;
			Instant resumedPassStart = null;
			Map<String, String> resume = new HashMap<>();
			Set<String> completed = new HashSet<>();
			if (mode == SyncMode.FULL) {
				Optional<SyncRunStore.Stopped> stopped = this.runs.resumable(name, this.properties.resumeWithin());
				passId = stopped.map(SyncRunStore.Stopped::passId).orElse(id);
				this.runs.joinPass(id, passId, stopped.map(SyncRunStore.Stopped::runId).orElse(null));
				if (stopped.isPresent()) {
					resumedPassStart = stopped.get().passStartedAt();
					long pass = passId;
					streams.forEach((stream, state) -> {
						if (state.passId() != null && state.passId() == pass) {
							if (state.completed()) {
								completed.add(stream);
							}
							else if (state.position() != null) {
								resume.put(stream, state.position());
							}
						}
					});
					log.info(
							"Sync run {} of connection '{}' resumes the full pass of run {}: {} stream(s) done, "
									+ "{} read on from their last committed page",
							id, name, stopped.get().runId(), completed.size(), resume.size());
				}
			}
			Long pass = passId;
			Instant readBackTo = (mode == SyncMode.INCREMENTAL) ? openSince(connection, startedAt) : null;
			if (!read(id, connection,
					connection.fetch(mode, watermarks, startedAt, resume, completed, readBackTo, this.known), mode,
					pass, horizon, started)) {
				outcome = "interrupted";
				return;
			}
			if (resumedPassStart != null && (!resume.isEmpty() || !completed.isEmpty())) {
				// the pages the stopped run read are older than this run: every stream's
				// head is read
				// again down to where the pass began, so what arrived since is not left
				// to the next run
				Map<String, Instant> head = new HashMap<>();
				for (String stream : this.streams.load(name).keySet()) {
					head.put(stream, resumedPassStart);
				}
				if (!read(id, connection,
						connection.fetch(SyncMode.INCREMENTAL, head, startedAt, Map.of(), Set.of(),
								openSince(connection, startedAt), this.known),
						SyncMode.INCREMENTAL, pass, horizon, started)) {
					outcome = "interrupted";
					return;
				}
			}
			if (pass != null) {
				reconcile(id, connection, pass);
			}
			this.runs.finish(id, true, null);
			outcome = "succeeded";
		}
		catch (RuntimeException ex) {
			error = describe(ex, connection.connection().secrets());
			this.runs.finish(id, false, error);
		}
		finally {
			this.active.remove(id);
			this.progress.remove(name);
			sample.stop(this.meters.timer("tributary.sync.runs", "connection", name, "mode", mode.apiValue(), "outcome",
					outcome));
			summarize(id, name, mode, outcome, Duration.ofNanos(System.nanoTime() - started), error);
		}
	}

	/**
	 * The one line a run logs when it ends: its outcome, duration and counts, and why it
	 * failed.
	 */
	private void summarize(long id, String name, SyncMode mode, String outcome, Duration took, String error) {
		Optional<SyncRun> recorded;
		try {
			recorded = this.runs.find(id);
		}
		catch (DataAccessException ex) {
			recorded = Optional.empty();
		}
		String counts = recorded
			.map((run) -> String.format(java.util.Locale.ROOT,
					"%d pages, %d listed, %d inserted, %d updated, %d unchanged, %d rejected, %d deleted", run.pages(),
					run.fetched(), run.inserted(), run.updated(), run.unchanged(), run.rejected(), run.deleted()))
			.orElse("counts unavailable");
		if ("failed".equals(outcome)) {
			log.warn("Sync run {} of connection '{}' ({}) failed after {} ms: {}; {}", id, name, mode.apiValue(),
					took.toMillis(), counts, error);
		}
		else {
			log.info("Sync run {} of connection '{}' ({}) {} in {} ms: {}", id, name, mode.apiValue(), outcome,
					took.toMillis(), counts);
		}
	}

	/**
	 * Reads pages to their end, each committed with the run's counts and, in a full pass,
	 * the stream's position; an end marker moves its stream's watermark.
	 * @param streamMode how an end marker moves the watermark (a full pass sets it)
	 * @return false when the run stopped for a shutdown (recorded as interrupted)
	 */
	private boolean read(long id, ConfiguredConnection connection, Flux<SourcePage> source, SyncMode streamMode,
			Long pass, Instant horizon, long started) {
		String name = connection.name();
		Map<String, Instant> newest = new HashMap<>();
		try (Stream<SourcePage> pages = source.toStream(1)) {
			Iterator<SourcePage> iterator = pages.iterator();
			while (iterator.hasNext()) {
				SourcePage page = iterator.next();
				if (page.end()) {
					this.transaction.executeWithoutResult((status) -> this.streams.complete(name, page.stream(),
							streamMode, (streamMode == SyncMode.FULL) ? pass : null, newest.get(page.stream())));
					continue;
				}
				Instant seen = newestBefore(page, horizon);
				commit(id, connection, participants(connection, unexpired(flagFuture(page, horizon))), pass, seen);
				if (seen != null) {
					newest.merge(page.stream(), seen, (a, b) -> a.isAfter(b) ? a : b);
				}
				if (this.stopping) {
					this.runs.interrupt(id);
					return false;
				}
				Duration budget = connection.connection().runTimeout();
				if (Duration.ofNanos(System.nanoTime() - started).compareTo(budget) > 0) {
					throw new RunBudgetExceeded(budget);
				}
			}
		}
		return true;
	}

	/** Stored rows one renormalization batch re-maps and commits. */
	static final int REMAP_BATCH = 500;

	/** Reads stored {@code raw} as the upstream's answers are read: numbers exactly. */
	private static final tools.jackson.databind.json.JsonMapper RAW = tools.jackson.databind.json.JsonMapper.builder()
		.enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	/**
	 * Renormalization: the stored rows an older mapper version wrote are mapped again
	 * from their {@code raw}, {@value #REMAP_BATCH} per transaction, with the
	 * connection's rules applied as in a sync (participant mapping, future times); no
	 * upstream is called. A row that no longer maps is quarantined and keeps its stored
	 * form.
	 * @return false when the gateway is shutting down (the rest waits for the next one)
	 */
	private boolean remapStored(long id, ConfiguredConnection connection, Instant horizon) {
		String name = connection.name();
		int version = connection.connector().mapperVersion();
		SyncRequest request = SyncRequest.fresh(name, connection.connection(), connection.settings(),
				SyncMode.RENORMALIZE, Map.of(), this.clock.instant(), connection.personalData());
		java.util.UUID after = null;
		while (true) {
			List<StoredInteractions.StoredRaw> batch = this.stored.mappedBefore(name, version, after, REMAP_BATCH);
			if (batch.isEmpty()) {
				return true;
			}
			List<NormalizedInteraction> items = new ArrayList<>();
			List<Rejected> rejected = new ArrayList<>();
			for (StoredInteractions.StoredRaw row : batch) {
				tools.jackson.databind.JsonNode raw = RAW.readTree(row.raw());
				try {
					items.add(connection.connector().remap(request, raw));
				}
				catch (RuntimeException ex) {
					rejected.add(Rejected.of(raw, ex));
				}
			}
			SourcePage page = new SourcePage("stored", items, rejected, batch.size(), List.of(), List.of(), List.of(),
					null, false, null);
			commit(id, connection, participants(connection, flagFuture(page, horizon)), null, null);
			after = batch.get(batch.size() - 1).id();
			if (this.stopping) {
				this.runs.interrupt(id);
				return false;
			}
		}
	}

	/**
	 * The creation of the oldest stored item still open, within {@code recheck-open-for}.
	 */
	private Instant openSince(ConfiguredConnection connection, Instant startedAt) {
		return this.stored.oldestOpen(connection.name(), startedAt.minus(connection.connection().recheckOpenFor()));
	}

	/**
	 * After a successful full pass: stored rows it no longer listed are asked about, and
	 * marked deleted only when the upstream confirms it (a trusted detail 404), or when
	 * two consecutive passes missed them and nothing could decide. A pass that listed
	 * nothing at all marks nothing: an empty listing proves nothing.
	 */
	private void reconcile(long id, ConfiguredConnection connection, long passId) {
		String name = connection.name();
		String probe = this.deletions.anyListed(name, passId);
		if (probe == null) {
			log.warn("Sync run {} of connection '{}': the full pass listed nothing; no deletion is inferred", id, name);
			this.deletions.forget(name, passId);
			return;
		}
		List<String> unlisted = this.deletions.unlisted(name, passId, MAX_DELETION_CHECKS);
		Map<Existence.State, List<String>> verdicts = verdicts(connection, unlisted, probe);
		// items only a stopped run of this pass listed: gone if the upstream says so,
		// else still listed
		List<String> before = (passId != id) ? this.deletions.listedOnlyBefore(name, passId, id, MAX_DELETION_CHECKS)
				: List.of();
		List<String> goneSince = verdicts(connection, before, probe).get(Existence.State.GONE);
		int deleted = this.transaction.execute((status) -> {
			this.deletions.present(name, verdicts.get(Existence.State.PRESENT));
			int marked = this.deletions.gone(name, verdicts.get(Existence.State.GONE))
					+ this.deletions.gone(name, goneSince)
					+ this.deletions.missed(name, verdicts.get(Existence.State.UNKNOWN));
			this.runs.addDeleted(id, marked);
			this.deletions.forget(name, passId);
			return marked;
		});
		records(name, "deleted", deleted);
		if (!unlisted.isEmpty()) {
			log.info(
					"Sync run {} of connection '{}': {} stored item(s) no longer listed; {} still there, {} gone, "
							+ "{} undecidable, {} not answered (left for the next pass); {} marked deleted",
					id, name, unlisted.size(), verdicts.get(Existence.State.PRESENT).size(),
					verdicts.get(Existence.State.GONE).size(), verdicts.get(Existence.State.UNKNOWN).size(),
					verdicts.get(Existence.State.FAILED).size(), deleted);
		}
	}

	private static Map<Existence.State, List<String>> verdicts(ConfiguredConnection connection, List<String> ids,
			String probe) {
		Map<Existence.State, List<String>> verdicts = new EnumMap<>(Existence.State.class);
		for (Existence.State state : Existence.State.values()) {
			verdicts.put(state, new ArrayList<>());
		}
		if (!ids.isEmpty()) {
			connection.exists(ids, probe)
				.toStream()
				.forEach((existence) -> verdicts.get(existence.state()).add(existence.sourceId()));
		}
		return verdicts;
	}

	/**
	 * The newest change on a page that may move a watermark: times past the run's start
	 * plus the skew allowance (a bad clock, milliseconds read as seconds) never do.
	 */
	private static Instant newestBefore(SourcePage page, Instant horizon) {
		return page.listedUpdatedAt()
			.stream()
			.filter((time) -> !time.isAfter(horizon))
			.max(Instant::compareTo)
			.orElse(null);
	}

	/**
	 * Leaves out items older than the retention's cutoff: the purge would delete them,
	 * and a full run must not bring purged rows back. They count as unchanged.
	 */
	private SourcePage unexpired(SourcePage page) {
		Instant cutoff = this.retention.cutoff();
		if (cutoff == null || page.items().stream().noneMatch((item) -> item.createdAt().isBefore(cutoff))) {
			return page;
		}
		return page.withItems(page.items().stream().filter((item) -> !item.createdAt().isBefore(cutoff)).toList());
	}

	/**
	 * The connection's own participant mapping ({@code participant-external-id}): the
	 * value at that path of each item becomes its external participant id.
	 */
	private static SourcePage participants(ConfiguredConnection connection, SourcePage page) {
		String path = connection.connection().participantExternalId();
		if (path == null || page.items().isEmpty()) {
			return page;
		}
		return page.withItems(page.items().stream().map((item) -> {
			tools.jackson.databind.JsonNode node = item.raw();
			for (String name : path.split("\\.")) {
				node = (node != null) ? node.get(name) : null;
			}
			String value = (node != null && (node.isString() || node.isNumber())) ? node.asString().strip() : "";
			return value.isEmpty() ? item : item.withParticipantExternalId(value);
		}).toList());
	}

	/** Flags items whose times lie past the run's start plus the skew allowance. */
	private static SourcePage flagFuture(SourcePage page, Instant horizon) {
		if (page.items()
			.stream()
			.noneMatch((item) -> item.createdAt().isAfter(horizon) || item.updatedAt().isAfter(horizon))) {
			return page;
		}
		List<NormalizedInteraction> items = page.items()
			.stream()
			.map((item) -> (item.createdAt().isAfter(horizon) || item.updatedAt().isAfter(horizon))
					? item.withAttribute(FUTURE_FLAG, BooleanNode.TRUE) : item)
			.toList();
		return page.withItems(items);
	}

	/** A run that took longer than its connection's {@code run-timeout}. */
	static final class RunBudgetExceeded extends RuntimeException {

		RunBudgetExceeded(Duration budget) {
			super("the run exceeded its time budget (run-timeout " + budget
					+ "); its committed pages stay and the next full run resumes after them", null, false, false);
		}

	}

	/**
	 * Writes one page in one transaction with the run's counts and its rejects. When
	 * PostgreSQL refuses the batch, the page is written again item by item (a savepoint
	 * each), and the items it still refuses are quarantined with the reason instead of
	 * stopping the run.
	 */
	private void commit(long id, ConfiguredConnection connection, SourcePage page, Long passId, Instant seen) {
		List<String> secrets = connection.connection().secrets();
		WriteResult committed;
		int rejectedCount;
		try {
			committed = this.transaction.execute((status) -> {
				WriteResult written = this.writer.write(page.items(), secrets, connection.connector().mapperVersion());
				record(id, connection, page, page.items(), page.rejected(), written, secrets, passId, seen);
				return written;
			});
			rejectedCount = page.rejected().size();
		}
		catch (DataAccessException ex) {
			log.warn("Sync run {} of connection '{}': PostgreSQL refused a page ({}); storing it item by item", id,
					connection.name(), refusal(ex));
			List<Rejected> rejected = new ArrayList<>(page.rejected());
			committed = this.transaction.execute((status) -> {
				List<NormalizedInteraction> stored = new ArrayList<>();
				WriteResult written = WriteResult.EMPTY;
				for (NormalizedInteraction item : page.items()) {
					Object savepoint = status.createSavepoint();
					try {
						written = written
							.plus(this.writer.write(List.of(item), secrets, connection.connector().mapperVersion()));
						status.releaseSavepoint(savepoint);
						stored.add(item);
					}
					catch (DataAccessException refused) {
						status.rollbackToSavepoint(savepoint);
						rejected.add(new Rejected(item.sourceId(), "not stored: " + refusal(refused), item.raw()));
					}
				}
				record(id, connection, page, stored, rejected, written, secrets, passId, seen);
				return written;
			});
			rejectedCount = rejected.size();
		}
		count(connection.name(), committed, rejectedCount);
		RunProgress run = this.progress.get(connection.name());
		if (run != null) {
			run.committed(page.fetched());
		}
	}

	/**
	 * {@code tributary.sync.records} by connection and action, counted once a page is
	 * committed.
	 */
	private void count(String connection, WriteResult written, int rejected) {
		if (written != null) {
			records(connection, "inserted", written.inserted());
			records(connection, "updated", written.updated());
			records(connection, "unchanged", written.unchanged());
		}
		records(connection, "rejected", rejected);
	}

	private void records(String connection, String action, int count) {
		Counter.builder("tributary.sync.records")
			.description("Items a sync committed, by what happened to them")
			.tags("connection", connection, "action", action)
			.register(this.meters)
			.increment(count);
	}

	private void record(long id, ConfiguredConnection connection, SourcePage page, List<NormalizedInteraction> stored,
			List<Rejected> rejected, WriteResult written, List<String> secrets, Long passId, Instant seen) {
		this.rejects.record(id, connection.name(), rejected, secrets);
		this.deletions.restore(connection.name(), page.listedIds());
		if (passId != null) {
			this.streams.progress(connection.name(), page.stream(), passId, page.position(), seen);
			this.deletions.listed(connection.name(), passId, id, page.listedIds());
		}
		this.rejects.clear(connection.name(), stored.stream().map(NormalizedInteraction::sourceId).toList());
		RunProgress run = this.progress.get(connection.name());
		Long expected = (run != null) ? run.expect(page) : null;
		if (this.runs.addPage(id, page.fetched(), written, rejected.size(), expected) == 0) {
			// the run is no longer recorded as running: its lock lapsed and another
			// process took the
			// connection over; this page rolls back and the run stops, so two runs never
			// write at once
			throw new IllegalStateException("the run lost its connection's lock to another process");
		}
	}

	/**
	 * What PostgreSQL objected to, without the values of the row (they may hold personal
	 * data or secrets, and PostgreSQL quotes them: {@code Key (x)=(…) already exists},
	 * {@code invalid input syntax for type uuid: "…"}): the SQL state with its condition
	 * name, and the constraint, table, column and type the server names.
	 */
	static String refusal(DataAccessException ex) {
		Throwable cause = ex.getMostSpecificCause();
		List<String> parts = new ArrayList<>();
		if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
			String condition = CONDITIONS.get(sql.getSQLState());
			parts.add("SQLSTATE " + sql.getSQLState() + ((condition != null) ? " " + condition : ""));
		}
		else {
			parts.add(cause.getClass().getSimpleName());
		}
		if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
			ServerErrorMessage server = psql.getServerErrorMessage();
			named(parts, "constraint", server.getConstraint());
			named(parts, "table", server.getTable());
			named(parts, "column", server.getColumn());
			named(parts, "type", server.getDatatype());
		}
		parts.add(ex.getClass().getSimpleName());
		return "PostgreSQL refused it (" + String.join(", ", parts) + ")";
	}

	/** The conditions a page of upstream data can run into, by SQL state. */
	private static final Map<String, String> CONDITIONS = Map.ofEntries(Map.entry("23505", "unique_violation"),
			Map.entry("23502", "not_null_violation"), Map.entry("23503", "foreign_key_violation"),
			Map.entry("23514", "check_violation"), Map.entry("22P02", "invalid_text_representation"),
			Map.entry("22001", "string_data_right_truncation"), Map.entry("22003", "numeric_value_out_of_range"),
			Map.entry("22007", "invalid_datetime_format"), Map.entry("22008", "datetime_field_overflow"),
			Map.entry("22009", "invalid_time_zone_displacement_value"),
			Map.entry("22021", "character_not_in_repertoire"), Map.entry("22P05", "untranslatable_character"),
			Map.entry("54000", "program_limit_exceeded"), Map.entry("40001", "serialization_failure"),
			Map.entry("40P01", "deadlock_detected"), Map.entry("57014", "query_canceled"),
			Map.entry("08006", "connection_failure"));

	private static void named(List<String> parts, String what, String name) {
		if (name != null && !name.isBlank()) {
			parts.add(what + " " + name);
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
			gauges(connection);
		}
	}

	/** The connection's gauges (registering them again is a no-op). */
	private void gauges(ConfiguredConnection connection) {
		String name = connection.name();
		{
			Gauge.builder("tributary.sync.lag", () -> lagSeconds(connection))
				.description("Seconds since the start of the connection's last successful run (NaN before its first)")
				.baseUnit("seconds")
				.tag("connection", name)
				.register(this.meters);
			Gauge.builder("tributary.sync.progress", () -> progress(name, false))
				.description("Items the connection's run under way in this process has committed (NaN when none)")
				.baseUnit("items")
				.tag("connection", name)
				.register(this.meters);
			Gauge.builder("tributary.sync.progress.expected", () -> progress(name, true))
				.description("Items the connection's full run under way in this process expects in all, where the "
						+ "upstream reports a total (NaN otherwise)")
				.baseUnit("items")
				.tag("connection", name)
				.register(this.meters);
		}
	}

	private double progress(String connection, boolean expected) {
		RunProgress run = this.progress.get(connection);
		if (run == null) {
			return Double.NaN;
		}
		Long value = expected ? run.expected() : Long.valueOf(run.items());
		return (value != null) ? value : Double.NaN;
	}

	/**
	 * The lag of a connection: from the start of its last successful run (what it has
	 * surely seen) to now, from the run records (any replica's runs count).
	 */
	private double lagSeconds(ConfiguredConnection connection) {
		Long lag = this.freshness.lagSeconds(connection.name());
		return (lag != null) ? lag : Double.NaN;
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

	/**
	 * Why a run failed, as {@code sync_run.error} records it: an upstream failure as its
	 * exception describes it (method, path, status, a summary of the answer), a database
	 * failure as {@link #refusal}, anything else by its type and message, without the
	 * data a message quotes and without the connection's secrets.
	 */
	static String describe(Throwable ex, List<String> secrets) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof UpstreamException upstream) {
				return upstream.getMessage();
			}
			if (cause instanceof DataAccessException data) {
				return refusal(data);
			}
		}
		String message = (ex.getMessage() != null) ? ": " + SecretText.withoutQuotedValues(ex.getMessage()) : "";
		return SecretText.of(secrets).summarize(ex.getClass().getSimpleName() + message, 500);
	}

}
