package io.tributary.sync;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tributary.common.JsonLimits;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.interaction.StoredInteractions;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Rejected;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import io.tributary.source.SyncRequest;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Renormalization: the stored rows an older mapper version wrote are mapped again from
 * their {@code raw}, {@value #REMAP_BATCH} per transaction, with the connection's rules
 * applied as in a sync (the personal-data rule, participant mapping, future times, and
 * retention: a row the purge would delete is not written, so a purge running meanwhile
 * cannot see it come back); no upstream is called. A row that no longer maps is
 * quarantined and keeps its stored form.
 */
@Component
class Renormalizer {

	/** Stored rows one renormalization batch re-maps and commits. */
	static final int REMAP_BATCH = 500;

	/** Reads stored {@code raw} as the upstream's answers are read: numbers exactly. */
	private static final JsonMapper RAW = JsonMapper.builder(JsonLimits.factory())
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private final StoredInteractions stored;

	private final PageCommitter committer;

	private final SyncRunStore runs;

	private final Clock clock;

	Renormalizer(StoredInteractions stored, PageCommitter committer, SyncRunStore runs, Clock clock) {
		this.stored = stored;
		this.committer = committer;
		this.runs = runs;
		this.clock = clock;
	}

	/**
	 * @param run a run of mode renormalize
	 * @return {@code READ}, or {@code INTERRUPTED} when the gateway is shutting down (the
	 * run is recorded as interrupted; the rest waits for the next one)
	 */
	PageLoop.Ended remap(RunContext run) {
		ConfiguredConnection connection = run.connection();
		String name = connection.name();
		int version = connection.connector().mapperVersion();
		SyncRequest request = SyncRequest.fresh(name, connection.connection(), connection.settings(),
				SyncMode.RENORMALIZE, Map.of(), this.clock.instant(), connection.personalData());
		UUID after = null;
		while (true) {
			List<StoredInteractions.StoredRaw> batch = this.stored.mappedBefore(name, version, after, REMAP_BATCH);
			if (batch.isEmpty()) {
				return PageLoop.Ended.READ;
			}
			List<NormalizedInteraction> items = new ArrayList<>();
			List<Rejected> rejected = new ArrayList<>();
			for (StoredInteractions.StoredRaw row : batch) {
				// its time budget holds row by row: the batch in hand is not committed,
				// and the next renormalization maps it again
				run.checkBudget();
				// the connection's personal-data rule as it stands now, over everything
				// stored; what a hashing rule treated already is not hashed twice
				JsonNode raw = connection.personalData().reapply(RAW.readTree(row.raw()));
				try {
					items.add(connection.connector().remap(request, raw));
				}
				catch (RuntimeException ex) {
					rejected.add(Rejected.of(raw, ex));
				}
			}
			SourcePage page = new SourcePage("stored", items, rejected, batch.size(), List.of(), List.of(), List.of(),
					null, false, null);
			this.committer.commit(run, run.rules().apply(page, this.clock.instant()), null, null);
			after = batch.get(batch.size() - 1).id();
			if (run.stopRequested()) {
				this.runs.interrupt(run.id());
				return PageLoop.Ended.INTERRUPTED;
			}
		}
	}

}
