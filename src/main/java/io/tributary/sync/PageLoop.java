package io.tributary.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Signal;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reading loop of a run: takes a connector's pages one at a time (at most one more is
 * fetched while a page commits), commits each, tracks per stream the newest change that
 * may move its watermark, and moves the watermark when the stream's end marker arrives.
 * Between pages it stops for a shutdown and for the run's time budget, and a sliced run
 * pauses once its slice is over and it has read past the page it resumed at.
 */
@Component
class PageLoop {

	/**
	 * Pages a slice commits before it may pause: the saved page it reads again, and at
	 * least one past it.
	 */
	static final int MIN_PAGES_PER_SLICE = 2;

	private final PageCommitter committer;

	private final StreamStore streams;

	private final SyncRunStore runs;

	private final TransactionTemplate transaction;

	private final Clock clock;

	PageLoop(PageCommitter committer, StreamStore streams, SyncRunStore runs,
			@Qualifier("syncTransactions") TransactionTemplate transaction, Clock clock) {
		this.clock = clock;
		this.committer = committer;
		this.streams = streams;
		this.runs = runs;
		this.transaction = transaction;
	}

	/**
	 * Reads pages to their end.
	 * @param run the run
	 * @param source the connector's pages
	 * @param streamMode how an end marker moves the watermark (a full pass sets it)
	 * @param pass the full pass the pages belong to; null outside one
	 * @return how the reading ended: read to the end, interrupted by a shutdown (recorded
	 * as interrupted), or paused at the end of its slice
	 * @throws RunBudgetExceeded when the run outlasts its {@code run-timeout}
	 */
	Ended read(RunContext run, Flux<SourcePage> source, SyncMode streamMode, @Nullable Long pass) {
		String name = run.name();
		Map<String, Instant> newest = new HashMap<>();
		int committed = 0;
		// materialized, so a page fetched before a failing one is still committed: a
		// blocking iterator throws an error as soon as it arrives, dropping what waits
		try (Stream<Signal<SourcePage>> signals = source.materialize().toStream(1)) {
			Iterator<Signal<SourcePage>> iterator = signals.iterator();
			while (iterator.hasNext()) {
				Signal<SourcePage> signal = iterator.next();
				if (signal.isOnError()) {
					throw Exceptions.propagate(signal.getThrowable());
				}
				if (!signal.isOnNext()) {
					break;
				}
				SourcePage page = signal.get();
				if (page.end()) {
					this.transaction.executeWithoutResult((status) -> {
						this.runs.fence(run.id());
						this.streams.complete(name, page.stream(), streamMode,
								(streamMode == SyncMode.FULL) ? pass : null, newest.get(page.stream()));
					});
					continue;
				}
				Instant seen = run.rules().newestBefore(page);
				this.committer.commit(run, run.rules().apply(page, this.clock.instant()), pass, seen);
				if (seen != null) {
					newest.merge(page.stream(), seen, (a, b) -> a.isAfter(b) ? a : b);
				}
				committed++;
				if (run.stopRequested()) {
					this.runs.interrupt(run.id());
					return Ended.INTERRUPTED;
				}
				run.checkBudget();
				// a resumed stream reads its saved page again first: a slice pauses only
				// after a page past it, so every slice gets further, and a last page's
				// end
				// marker, which needs no fetch, lands in the slice that read it again
				if (committed >= MIN_PAGES_PER_SLICE && run.sliceOver()) {
					return Ended.PAUSED;
				}
			}
		}
		return Ended.READ;
	}

	/** How reading ended. */
	enum Ended {

		/** Every stream was read to its stop point or its end. */
		READ,
		/** The gateway is shutting down; the run is recorded as interrupted. */
		INTERRUPTED,
		/** The run's slice is used up; the rest waits for a later run. */
		PAUSED

	}

}
