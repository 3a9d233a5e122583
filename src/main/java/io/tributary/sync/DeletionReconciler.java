package io.tributary.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Existence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After a successful full pass: stored rows it no longer listed are asked about, a
 * bounded number per pass (see {@link SyncProperties.Deletions}), those that missed a
 * pass before first, then those never asked, then those asked longest ago; rows the
 * upstream confirmed present are not asked again for a while. A row is marked deleted
 * only when two consecutive passes missed it and the upstream said gone (a trusted detail
 * 404) or could not decide: no single answer deletes data. When more than a set share of
 * the connection is missing from the pass's listing and not confirmed present (asked this
 * pass or not), the pass marks nothing and says so in its run's warning; a pass that
 * listed nothing at all marks nothing either: an empty listing proves nothing. A row any
 * run of the pass listed counts as listed.
 */
@Component
class DeletionReconciler {

	private static final Logger log = LoggerFactory.getLogger(DeletionReconciler.class);

	private final DeletionStore deletions;

	private final SyncRunStore runs;

	private final TransactionTemplate transaction;

	private final SyncMetrics metrics;

	private final SyncProperties.Deletions settings;

	DeletionReconciler(DeletionStore deletions, SyncRunStore runs,
			@Qualifier("syncTransactions") TransactionTemplate transaction, SyncMetrics metrics,
			SyncProperties properties) {
		this.settings = properties.deletions();
		this.deletions = deletions;
		this.runs = runs;
		this.transaction = transaction;
		this.metrics = metrics;
	}

	/**
	 * @param run the run that completed the pass
	 * @param passId the pass
	 */
	void reconcile(RunContext run, long passId) {
		long id = run.id();
		String name = run.name();
		ConfiguredConnection connection = run.connection();
		String probe = this.deletions.anyListed(name, passId);
		if (probe == null) {
			log.warn("Sync run {} of connection '{}': the full pass listed nothing; no deletion is inferred", id, name);
			this.deletions.forget(name, passId);
			return;
		}
		Duration recheck = this.settings.recheckPresentAfter();
		long waiting = this.deletions.unlistedCount(name, passId, recheck);
		int budget = this.settings.budget(waiting);
		List<String> unlisted = this.deletions.unlisted(name, passId, recheck, budget);
		Map<Existence.State, List<String>> verdicts = verdicts(connection, unlisted, probe);
		// a row any run of the pass listed counts as listed: one deleted after it was
		// listed is seen by the next pass
		List<String> missed = new ArrayList<>(verdicts.get(Existence.State.GONE));
		missed.addAll(verdicts.get(Existence.State.UNKNOWN));
		// the guard weighs every row the pass did not list and nothing confirmed present,
		// not only those this pass's budget asked about: else a listing that lost a large
		// share would delete up to the budget every other pass, for ever
		long suspect = waiting - verdicts.get(Existence.State.PRESENT).size();
		Held held = this.transaction.execute((status) -> {
			this.runs.fence(id);
			this.deletions.present(name, verdicts.get(Existence.State.PRESENT));
			int candidates = this.deletions.wouldDelete(name, missed);
			long live = this.deletions.live(name);
			boolean hold = candidates > 0 && suspect > this.settings.maxShareFloor()
					&& suspect > this.settings.maxShare() * live;
			int marked = this.deletions.missed(name, missed, hold);
			this.runs.addDeleted(id, marked);
			if (hold) {
				this.runs.warn(id, String.format(Locale.ROOT,
						"deletions held: %d of %d rows are missing from the pass's listing and not confirmed "
								+ "present, more than the share guard allows (tributary.sync.deletions.max-share "
								+ "%s); this pass would have marked %d deleted and marked none. Check that the "
								+ "connection's key and filters still see everything they saw before",
						suspect, live, this.settings.maxShare(), candidates));
			}
			this.deletions.forget(name, passId);
			return new Held(marked, hold ? candidates : 0, suspect);
		});
		this.metrics.deleted(name, held.marked());
		if (held.held() > 0) {
			log.warn(
					"Sync run {} of connection '{}': {} row(s) are missing from the pass's listing, more than "
							+ "tributary.sync.deletions.max-share {} of the connection; {} row(s) would have been "
							+ "marked deleted, none was",
					id, name, held.suspect(), this.settings.maxShare(), held.held());
		}
		if (!unlisted.isEmpty()) {
			log.info(
					"Sync run {} of connection '{}': {} stored item(s) no longer listed were checked (of {} "
							+ "allowed this pass); {} still there, {} gone, {} undecidable, {} not answered (left "
							+ "for the next pass); {} marked deleted",
					id, name, unlisted.size(), budget, verdicts.get(Existence.State.PRESENT).size(),
					verdicts.get(Existence.State.GONE).size(), verdicts.get(Existence.State.UNKNOWN).size(),
					verdicts.get(Existence.State.FAILED).size(), held.marked());
		}
	}

	/** What a pass marked deleted, and what the share guard held back. */
	private record Held(int marked, int held, long suspect) {
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

}
