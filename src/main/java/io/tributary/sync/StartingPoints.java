package io.tributary.sync;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tributary.source.SyncMode;
import io.tributary.sync.StreamStore.StreamState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Where a run starts reading: each stream's watermark, and for a full run the pass it
 * belongs to. A full run resumes the open pass (see {@link SyncRunStore#openPass}: its
 * last run failed, was interrupted or paused within {@code resume-within}): streams that
 * pass finished are skipped, the others read on from the page it last committed;
 * otherwise it begins a pass of its own.
 */
@Component
class StartingPoints {

	private static final Logger log = LoggerFactory.getLogger(StartingPoints.class);

	private final SyncRunStore runs;

	private final StreamStore streams;

	private final SyncProperties properties;

	StartingPoints(SyncRunStore runs, StreamStore streams, SyncProperties properties) {
		this.runs = runs;
		this.streams = streams;
		this.properties = properties;
	}

	/**
	 * Plans a run, and records which pass a full run belongs to.
	 * @param id the run
	 * @param connection its connection
	 * @param mode its mode
	 * @return where it starts
	 */
	Start plan(long id, String connection, SyncMode mode) {
		Map<String, StreamState> states = this.streams.load(connection);
		Map<String, Instant> watermarks = new HashMap<>();
		states.forEach((stream, state) -> {
			if (state.watermark() != null) {
				watermarks.put(stream, state.watermark());
			}
		});
		if (mode != SyncMode.FULL) {
			return new Start(watermarks, null, null, Map.of(), Set.of());
		}
		Optional<SyncRunStore.OpenPass> stopped = this.runs.openPass(connection, this.properties.resumeWithin());
		long passId = stopped.map(SyncRunStore.OpenPass::passId).orElse(id);
		this.runs.joinPass(id, passId, stopped.map(SyncRunStore.OpenPass::runId).orElse(null));
		if (stopped.isEmpty()) {
			return new Start(watermarks, passId, null, Map.of(), Set.of());
		}
		Map<String, String> resume = new HashMap<>();
		Set<String> completed = new HashSet<>();
		states.forEach((stream, state) -> {
			if (state.passId() != null && state.passId() == passId) {
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
				id, connection, stopped.get().runId(), completed.size(), resume.size());
		return new Start(watermarks, passId, stopped.get().passStartedAt(), resume, completed);
	}

	/**
	 * The heads to read again after a resumed pass: the pages the stopped run read are
	 * older than this run, so every stream's head is read down to where the pass began,
	 * and what arrived since is not left to the next run.
	 * @param connection the connection
	 * @param start the run's start
	 * @return per stream, how far back to read its head; null when the run resumed
	 * nothing
	 */
	@Nullable Map<String, Instant> headsToReread(String connection, Start start) {
		if (start.resumedPassStart() == null || (start.resume().isEmpty() && start.completed().isEmpty())) {
			return null;
		}
		Map<String, Instant> head = new HashMap<>();
		for (String stream : this.streams.load(connection).keySet()) {
			head.put(stream, start.resumedPassStart());
		}
		return head;
	}

	/**
	 * Where a run starts.
	 *
	 * @param watermarks per stream
	 * @param passId the full pass the run belongs to; null for other runs
	 * @param resumedPassStart when the resumed pass began; null when none is resumed
	 * @param resume per stream, the position a stopped run of the pass last committed
	 * @param completed the streams the pass finished
	 */
	record Start(Map<String, Instant> watermarks, @Nullable Long passId, @Nullable Instant resumedPassStart,
			Map<String, String> resume, Set<String> completed) {
	}

}
