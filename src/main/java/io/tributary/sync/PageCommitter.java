package io.tributary.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tributary.interaction.InteractionWriter;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.interaction.WriteResult;
import io.tributary.source.Rejected;
import io.tributary.source.SourcePage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The writer of a run: one page in one transaction, with everything the page justifies
 * (its rejects, the run's counts, and in a full pass the stream's position and the ids it
 * listed), so a page is written whole or not at all. When PostgreSQL refuses the batch,
 * the page is written again item by item, a savepoint each, and the items it still
 * refuses are quarantined with the reason instead of stopping the run (the skip policy).
 */
@Component
class PageCommitter {

	private static final Logger log = LoggerFactory.getLogger(PageCommitter.class);

	private final InteractionWriter writer;

	private final TransactionTemplate transaction;

	private final SyncRunStore runs;

	private final StreamStore streams;

	private final RejectStore rejects;

	private final DeletionStore deletions;

	private final SyncMetrics metrics;

	PageCommitter(InteractionWriter writer, @Qualifier("syncTransactions") TransactionTemplate transaction,
			SyncRunStore runs, StreamStore streams, RejectStore rejects, DeletionStore deletions, SyncMetrics metrics) {
		this.writer = writer;
		this.transaction = transaction;
		this.runs = runs;
		this.streams = streams;
		this.rejects = rejects;
		this.deletions = deletions;
		this.metrics = metrics;
	}

	/**
	 * Commits one page.
	 * @param run the run
	 * @param page the page, its rules applied
	 * @param passId the full pass it belongs to; null outside a full pass
	 * @param seen the newest change on it that may move a watermark
	 */
	void commit(RunContext run, SourcePage page, @Nullable Long passId, @Nullable Instant seen) {
		List<String> secrets = run.secrets();
		int version = run.connection().connector().mapperVersion();
		WriteResult committed;
		int rejectedCount;
		try {
			committed = this.transaction.execute((status) -> {
				WriteResult written = this.writer.write(page.items(), secrets, version);
				record(run, page, page.items(), page.rejected(), written, passId, seen);
				return written;
			});
			rejectedCount = page.rejected().size();
		}
		catch (DataAccessException ex) {
			log.warn("Sync run {} of connection '{}': PostgreSQL refused a page ({}); storing it item by item",
					run.id(), run.name(), RunErrors.refusal(ex));
			List<Rejected> rejected = new ArrayList<>(page.rejected());
			committed = this.transaction
				.execute((status) -> itemByItem(status, run, page, rejected, version, passId, seen));
			rejectedCount = rejected.size();
		}
		this.metrics.committed(run.name(), committed, rejectedCount);
		run.progress().committed(page.fetched());
	}

	private WriteResult itemByItem(TransactionStatus status, RunContext run, SourcePage page, List<Rejected> rejected,
			int version, @Nullable Long passId, @Nullable Instant seen) {
		List<NormalizedInteraction> stored = new ArrayList<>();
		WriteResult written = WriteResult.EMPTY;
		for (NormalizedInteraction item : page.items()) {
			Object savepoint = status.createSavepoint();
			try {
				written = written.plus(this.writer.write(List.of(item), run.secrets(), version));
				status.releaseSavepoint(savepoint);
				stored.add(item);
			}
			catch (DataAccessException refused) {
				status.rollbackToSavepoint(savepoint);
				rejected.add(new Rejected(item.sourceId(), "not stored: " + RunErrors.refusal(refused), item.raw()));
			}
		}
		record(run, page, stored, rejected, written, passId, seen);
		return written;
	}

	/** What a page's transaction writes beside its items. */
	private void record(RunContext run, SourcePage page, List<NormalizedInteraction> stored, List<Rejected> rejected,
			WriteResult written, @Nullable Long passId, @Nullable Instant seen) {
		String name = run.name();
		this.rejects.record(run.id(), name, rejected, run.secrets());
		this.deletions.restore(name, page.listedIds());
		if (passId != null) {
			this.streams.progress(name, page.stream(), passId, page.position(), seen);
			this.deletions.listed(name, passId, run.id(), page.listedIds());
		}
		this.rejects.clear(name, stored.stream().map(NormalizedInteraction::sourceId).toList());
		this.runs.addPage(run.id(), page.fetched(), written, rejected.size(), run.progress().expect(page));
	}

}
