package io.tributary.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tributary.hygiene.PersonalData;
import io.tributary.source.SourcesProperties.Connection;

import reactor.core.publisher.Flux;

/**
 * A connection as checked at start-up: its shared settings (base URL resolved), the
 * connector of its kind, that kind's own settings, and its personal-data rule.
 *
 * @param name the connection's name
 * @param connection its shared settings
 * @param connector the connector of its kind
 * @param settings its kind's own settings, as the connector bound them
 * @param personalData what is done with the personal fields of its items
 * @param deadline when the run reading it must end ({@link #within}); none outside a run
 */
public record ConfiguredConnection(String name, Connection connection, SourceConnector connector, Object settings,
		PersonalData personalData, RunDeadline deadline) {

	public ConfiguredConnection {
		deadline = (deadline != null) ? deadline : RunDeadline.NONE;
	}

	/**
	 * A connection as configured, outside any run.
	 * @param name the connection's name
	 * @param connection its shared settings
	 * @param connector the connector of its kind
	 * @param settings its kind's own settings
	 * @param personalData its personal-data rule
	 */
	public ConfiguredConnection(String name, Connection connection, SourceConnector connector, Object settings,
			PersonalData personalData) {
		this(name, connection, connector, settings, personalData, RunDeadline.NONE);
	}

	/**
	 * @param deadline when the run must end
	 * @return this connection, read by a run with that deadline: its connector checks it
	 * between the items of each page
	 */
	public ConfiguredConnection within(RunDeadline deadline) {
		return new ConfiguredConnection(this.name, this.connection, this.connector, this.settings, this.personalData,
				deadline);
	}

	/**
	 * Reads one run's pages.
	 * @param mode incremental or full
	 * @param watermarks per stream
	 * @param startedAt the run's start
	 * @param resume per stream, where a stopped full run last committed a page
	 * @param completed streams a stopped full run read to their end
	 * @return the pages, each stream closed by its end marker
	 */
	public Flux<SourcePage> fetch(SyncMode mode, Map<String, Instant> watermarks, Instant startedAt,
			Map<String, String> resume, Set<String> completed) {
		return fetch(mode, watermarks, startedAt, resume, completed, null);
	}

	/**
	 * Reads one run's pages; an incremental run stops at a page below the watermark whose
	 * items are all stored unchanged.
	 * @param mode incremental or full
	 * @param watermarks per stream
	 * @param startedAt the run's start
	 * @param resume per stream, where a stopped full run last committed a page
	 * @param completed streams a stopped full run read to their end
	 * @param known what is stored of this connection's items
	 * @return the pages, each stream closed by its end marker
	 */
	public Flux<SourcePage> fetch(SyncMode mode, Map<String, Instant> watermarks, Instant startedAt,
			Map<String, String> resume, Set<String> completed, KnownVersions known) {
		return this.connector.fetch(new SyncRequest(this.name, this.connection, this.settings, mode, watermarks,
				startedAt, resume, completed, this.personalData, known, this.deadline));
	}

	/**
	 * Reads stored open items again by their own detail calls (see
	 * {@link SourceConnector#refresh}).
	 * @param sourceIds the open items
	 * @param startedAt the run's start
	 * @param known what is stored of this connection's items
	 * @return their pages; empty when the kind cannot
	 */
	public Flux<SourcePage> refresh(List<String> sourceIds, Instant startedAt, KnownVersions known) {
		return this.connector.refresh(new SyncRequest(this.name, this.connection, this.settings, SyncMode.INCREMENTAL,
				Map.of(), startedAt, Map.of(), Set.of(), this.personalData, known, this.deadline), sourceIds);
	}

	/**
	 * @param sourceIds items a full pass no longer listed
	 * @param probeId an item the pass listed; null when none
	 * @return what the upstream says of each
	 */
	public Flux<Existence> exists(List<String> sourceIds, String probeId) {
		return this.connector.exists(SyncRequest.fresh(this.name, this.connection, this.settings, SyncMode.FULL,
				Map.of(), Instant.now(), this.personalData), sourceIds, probeId);
	}

	public SourceKind kind() {
		return this.connector.kind();
	}

}
