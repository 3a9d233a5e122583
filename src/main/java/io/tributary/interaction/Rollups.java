package io.tributary.interaction;

import java.util.List;
import java.util.Objects;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.common.ConnectionScope;
import io.tributary.common.SyncDatabase;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rebuild of the rollups the triggers of migration V17 maintain: every rollup row (or
 * every row of the caller's connections) recomputed from the interactions in one
 * transaction, with writers of the interactions held off meanwhile ({@code LOCK TABLE
 * interaction IN SHARE MODE}: reads go on, syncs wait for the commit).
 */
@Component
class Rollups {

	private final JdbcClient jdbc;

	private final ConnectionScope scope;

	private final TransactionTemplate transaction;

	/**
	 * On the sync's pool, as every write of the interactions: a rebuild is a write of
	 * seconds, not an API read under the API's statement timeout.
	 */
	Rollups(@SyncDatabase JdbcClient jdbc, ConnectionScope scope, @SyncDatabase DataSource dataSource) {
		this.jdbc = jdbc;
		this.scope = scope;
		this.transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
	}

	Rebuilt rebuild() {
		String[] connections = this.scope.limitedTo()
			.map((visible) -> visible.stream().sorted().toArray(String[]::new))
			.orElse(null);
		long started = System.nanoTime();
		return Objects.requireNonNull(this.transaction.execute((status) -> {
			long rows = this.jdbc.sql("SELECT interaction_rollup_rebuild(CAST(:connections AS text[]))")
				.param("connections", connections)
				.query(Long.class)
				.single();
			long threads = this.jdbc.sql("SELECT interaction_thread_summary_rebuild(CAST(:connections AS text[]))")
				.param("connections", connections)
				.query(Long.class)
				.single();
			// a person's summary spans every connection: only a key that sees them all
			// rebuilds them
			Long people = (connections != null) ? null
					: this.jdbc.sql("SELECT interaction_participant_summary_rebuild()").query(Long.class).single();
			long interactions = this.jdbc
				.sql("SELECT COALESCE(sum(count), 0) FROM interaction_rollup"
						+ ((connections != null) ? " WHERE connection = ANY (CAST(:connections AS text[]))" : ""))
				.param("connections", connections)
				.query(Long.class)
				.single();
			return new Rebuilt((connections != null) ? List.of(connections) : null, interactions, rows, threads, people,
					(System.nanoTime() - started) / 1_000_000);
		}));
	}

	/**
	 * What a rebuild did.
	 *
	 * @param connections the connections rebuilt (those of the caller's key); null: all
	 * @param interactions the interactions the rebuilt rollups count (deleted ones
	 * included)
	 * @param rollupRows the rollup rows written
	 * @param threads the thread summaries written
	 * @param participants the participant summaries written; null for a key limited to
	 * connections (a person's summary spans every connection)
	 * @param tookMillis how long the rebuild took, the wait for running writers included
	 */
	record Rebuilt(@Schema(example = "[\"zylon-prod\"]") @Nullable List<String> connections,
			@Schema(example = "1000000") long interactions, @Schema(example = "2232") long rollupRows,
			@Schema(example = "250000") long threads, @Schema(example = "10") @Nullable Long participants,
			@Schema(example = "5400") long tookMillis) {
	}

}
