package io.tributary.sync;

import java.util.List;

import io.tributary.source.SourceConnector;
import io.tributary.source.SyncMode;
import io.tributary.source.TestConnections;

/**
 * Runs a connection of any registered kind synchronously, configured from property pairs,
 * exactly as the scheduler would: recorded run, lock-free (tests run one at a time).
 */
record SyncRuns(SyncService sync, SyncRunStore runs, List<SourceConnector> connectors) {

	/**
	 * @param kind the kind's name
	 * @param name the connection's name
	 * @param mode the run's mode
	 * @param properties pairs of property (relative to the connection) and value
	 * @return the finished run
	 */
	SyncRun run(String kind, String name, SyncMode mode, String... properties) {
		SourceConnector connector = this.connectors.stream()
			.filter((candidate) -> candidate.kind().name().equals(kind))
			.findFirst()
			.orElseThrow();
		var connection = TestConnections.configured(connector, name, properties);
		long id = this.runs.start(name, mode).orElseThrow();
		this.sync.execute(id, connection, mode);
		return this.runs.find(id).orElseThrow();
	}

}
