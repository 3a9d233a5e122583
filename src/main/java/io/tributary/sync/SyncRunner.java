package io.tributary.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Timer;
import io.tributary.hygiene.FieldPaths;
import io.tributary.interaction.StoredInteractions;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.KnownVersions;
import io.tributary.source.SyncMode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * One run, start to end, in the manner of a batch step: it plans where each stream starts
 * ({@link StartingPoints}), reads and commits the connector's pages ({@link PageLoop},
 * {@link PageCommitter}), reads the heads again after a resumed pass read to its end in
 * one run (a sliced pass leaves them to the poll's incremental run), reconciles deletions
 * after a full pass ({@link DeletionReconciler}), or remaps stored rows
 * ({@link Renormalizer}); then it records the outcome, and logs one summary line. A
 * stream's watermark moves only when the run has read that stream down to its stop point
 * (its end marker), so a run that fails midway leaves the watermarks of the streams it
 * did not finish where they were, and the next run reads them again.
 */
@Component
class SyncRunner {

	private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

	/**
	 * The most open items one incremental run reads again by their own detail calls,
	 * oldest first; the rest wait for a later run or the next full pass.
	 */
	static final int RECHECK_OPEN_MAX = 100;

	private final StartingPoints starts;

	private final PageLoop pages;

	private final DeletionReconciler deletions;

	private final Renormalizer renormalizer;

	private final SyncRunStore runs;

	private final SyncMetrics metrics;

	private final StoredInteractions stored;

	/**
	 * What is stored of each connection's items: incremental runs stop at pages held
	 * unchanged.
	 */
	private final KnownVersions known;

	private final Retention retention;

	private final SyncProperties properties;

	private final Clock clock;

	SyncRunner(StartingPoints starts, PageLoop pages, DeletionReconciler deletions, Renormalizer renormalizer,
			SyncRunStore runs, SyncMetrics metrics, StoredInteractions stored, StoredVersions known,
			Retention retention, SyncProperties properties, Clock clock) {
		this.starts = starts;
		this.pages = pages;
		this.deletions = deletions;
		this.renormalizer = renormalizer;
		this.runs = runs;
		this.metrics = metrics;
		this.stored = stored;
		this.known = known;
		this.retention = retention;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Runs the recorded run {@code id} to its end, synchronously.
	 * @param id the run
	 * @param connection its connection
	 * @param mode its mode
	 * @param stopping true once the gateway shuts down
	 * @param slice how long it may read before it pauses (a scheduled run); null to read
	 * to its end
	 */
	void run(long id, ConfiguredConnection connection, SyncMode mode, BooleanSupplier stopping,
			@Nullable Duration slice) {
		String name = connection.name();
		Timer.Sample sample = this.metrics.startTimer();
		Instant startedAt = this.clock.instant();
		long started = System.nanoTime();
		String participantPath = connection.connection().participantExternalId();
		PageRules rules = new PageRules(this.retention.maxAge(),
				(participantPath != null) ? FieldPaths.compile(List.of(participantPath)) : null,
				this.properties.clockSkew(), startedAt.plus(this.properties.clockSkew()));
		RunContext run = new RunContext(id, connection, mode, startedAt, started, rules,
				this.metrics.begin(connection, mode), stopping, (slice != null) ? slice.toNanos() : 0);
		String outcome = "failed";
		String error = null;
		try {
			PageLoop.Ended ended = (mode == SyncMode.RENORMALIZE) ? this.renormalizer.remap(run) : sync(run);
			outcome = switch (ended) {
				case READ -> {
					this.runs.finish(id, true, null);
					yield "succeeded";
				}
				case PAUSED -> {
					this.runs.pause(id);
					yield "paused";
				}
				case INTERRUPTED -> "interrupted";
			};
		}
		catch (RuntimeException ex) {
			error = RunErrors.describe(ex, connection.connection().secrets());
			this.runs.finish(id, false, error);
		}
		finally {
			this.metrics.end(sample, name, mode, outcome);
			summarize(id, name, mode, outcome, Duration.ofNanos(System.nanoTime() - started), error);
		}
	}

	/**
	 * An incremental or full run: its pages; in an incremental run the open items again
	 * (by their own detail calls where the kind can); in a full run, once its pass has
	 * read every stream, the heads again after a resumed pass and the deletion check.
	 */
	private PageLoop.Ended sync(RunContext run) {
		ConfiguredConnection connection = run.connection().within(run.deadline());
		boolean refreshes = connection.connector().refreshes();
		StartingPoints.Start start = this.starts.plan(run.id(), run.name(), run.mode());
		PageLoop.Ended ended = this.pages.read(run, connection.fetch(run.mode(), start.watermarks(), run.startedAt(),
				start.resume(), start.completed(), this.known), run.mode(), start.passId());
		if (ended != PageLoop.Ended.READ) {
			return ended;
		}
		if (run.mode() == SyncMode.INCREMENTAL && refreshes) {
			List<String> open = this.stored.openItems(run.name(),
					run.startedAt().minus(connection.connection().recheckOpenFor()), RECHECK_OPEN_MAX);
			if (!open.isEmpty()) {
				ended = this.pages.read(run, connection.refresh(open, run.startedAt(), this.known),
						SyncMode.INCREMENTAL, null);
				if (ended != PageLoop.Ended.READ) {
					return ended;
				}
			}
		}
		// a sliced pass leaves the heads to the poll's incremental run, which reads them
		// every time: read again here, they would count against the slice, and a slice
		// that ran out while reading them would start them over at the next
		Map<String, Instant> heads = run.sliced() ? null : this.starts.headsToReread(run.name(), start);
		if (heads != null) {
			ended = this.pages.read(run,
					connection.fetch(SyncMode.INCREMENTAL, heads, run.startedAt(), Map.of(), Set.of(), this.known),
					SyncMode.INCREMENTAL, start.passId());
			if (ended != PageLoop.Ended.READ) {
				return ended;
			}
		}
		if (start.passId() != null) {
			this.deletions.reconcile(run, start.passId());
		}
		return PageLoop.Ended.READ;
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
			.map((run) -> String.format(Locale.ROOT,
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

}
