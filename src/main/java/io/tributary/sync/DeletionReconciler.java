package io.tributary.sync;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Existence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After a successful full pass: stored rows it no longer listed are asked about, and
 * marked deleted only when the upstream confirms it (a trusted detail 404), or when two
 * consecutive passes missed them and nothing could decide. A pass that listed nothing at
 * all marks nothing: an empty listing proves nothing.
 */
@Component
class DeletionReconciler {

	private static final Logger log = LoggerFactory.getLogger(DeletionReconciler.class);

	/**
	 * The most unlisted rows one pass asks the upstream about; the rest wait for the next
	 * pass.
	 */
	static final int MAX_DELETION_CHECKS = 1000;

	private final DeletionStore deletions;

	private final SyncRunStore runs;

	private final TransactionTemplate transaction;

	private final SyncMetrics metrics;

	DeletionReconciler(DeletionStore deletions, SyncRunStore runs,
			@Qualifier("syncTransactions") TransactionTemplate transaction, SyncMetrics metrics) {
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
		List<String> unlisted = this.deletions.unlisted(name, passId, MAX_DELETION_CHECKS);
		Map<Existence.State, List<String>> verdicts = verdicts(connection, unlisted, probe);
		// items only a stopped run of this pass listed: gone if the upstream says so,
		// else still listed
		List<String> before = (passId != id) ? this.deletions.listedOnlyBefore(name, passId, id, MAX_DELETION_CHECKS)
				: List.of();
		List<String> goneSince = verdicts(connection, before, probe).get(Existence.State.GONE);
		int deleted = this.transaction.execute((status) -> {
			this.runs.fence(id);
			this.deletions.present(name, verdicts.get(Existence.State.PRESENT));
			int marked = this.deletions.gone(name, verdicts.get(Existence.State.GONE))
					+ this.deletions.gone(name, goneSince)
					+ this.deletions.missed(name, verdicts.get(Existence.State.UNKNOWN));
			this.runs.addDeleted(id, marked);
			this.deletions.forget(name, passId);
			return marked;
		});
		this.metrics.deleted(name, deleted);
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

}
