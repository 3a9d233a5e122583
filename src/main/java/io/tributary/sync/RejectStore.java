package io.tributary.sync;

import io.tributary.common.SyncDatabase;
import org.jspecify.annotations.Nullable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.common.Rows;
import io.tributary.common.Digests;
import io.tributary.interaction.StoredText;
import io.tributary.source.Rejected;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code sync_reject} quarantine: upstream items that could not be mapped or stored,
 * one row per item (by upstream id, or by payload digest when it has none), with the
 * reason, the payload (secrets removed) and when it was first and last seen. A row is
 * cleared when a later run stores the item.
 */
@Component
class RejectStore {

	private final JdbcClient jdbc;

	private final JsonMapper json;

	RejectStore(@SyncDatabase JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** Records rejects of one page; called in the transaction that commits the page. */
	void record(long runId, String connection, Collection<Rejected> rejects, Collection<String> secrets) {
		for (Rejected reject : rejects) {
			String payload = StoredText.storableJson(this.json.writeValueAsString(reject.payload()), secrets);
			String key = (reject.sourceId() != null) ? "id:" + reject.sourceId()
					: "sha256:" + HexFormat.of().formatHex(Digests.sha256(payload));
			this.jdbc
				.sql("INSERT INTO sync_reject (connection, source_id, item_key, reason, payload, last_run_id) "
						+ "VALUES (:connection, :sourceId, :key, :reason, CAST(:payload AS jsonb), :run) "
						+ "ON CONFLICT (connection, item_key) DO UPDATE SET reason = excluded.reason, "
						+ "payload = excluded.payload, last_seen_at = now(), last_run_id = excluded.last_run_id, "
						+ "times_seen = sync_reject.times_seen + 1")
				.param("connection", connection)
				.param("sourceId", StoredText.storableText(reject.sourceId(), secrets))
				.param("key", key)
				.param("reason", StoredText.storableText(reject.reason(), secrets))
				.param("payload", payload)
				.param("run", runId)
				.update();
		}
	}

	/** Clears the rejects of items that were just stored. */
	void clear(String connection, Collection<String> sourceIds) {
		if (!sourceIds.isEmpty()) {
			this.jdbc.sql("DELETE FROM sync_reject WHERE connection = :connection AND source_id IN (:ids)")
				.param("connection", connection)
				.param("ids", sourceIds)
				.update();
		}
	}

	/**
	 * @param connection the connection
	 * @param beforeId only rejects with a smaller id; null from the newest
	 * @param limit how many
	 * @return the connection's rejects, newest first
	 */
	List<Reject> list(String connection, Long beforeId, int limit) {
		return this.jdbc
			.sql("SELECT id, source_id, reason, payload, first_seen_at, last_seen_at, last_run_id, times_seen "
					+ "FROM sync_reject WHERE connection = :connection "
					+ "AND (CAST(:before AS bigint) IS NULL OR id < :before) ORDER BY id DESC LIMIT :limit")
			.param("connection", connection)
			.param("before", beforeId)
			.param("limit", limit)
			.query(this::reject)
			.list();
	}

	private Reject reject(ResultSet rs, int row) throws SQLException {
		return new Reject(rs.getLong("id"), rs.getString("source_id"), rs.getString("reason"),
				this.json.readTree(rs.getString("payload")), Rows.instant(rs, "first_seen_at"),
				Rows.instant(rs, "last_seen_at"), rs.getObject("last_run_id", Long.class), rs.getInt("times_seen"));
	}

	/**
	 * One quarantined item.
	 *
	 * @param id the reject's id
	 * @param sourceId the upstream id, when the item had a readable one
	 * @param reason why it could not be mapped or stored
	 * @param payload the item as received, secrets removed
	 * @param firstSeenAt when a run first refused it
	 * @param lastSeenAt when a run last refused it
	 * @param lastRunId that run
	 * @param timesSeen how many times runs refused it
	 */
	record Reject(@Schema(example = "7") long id,
			@Schema(example = "3c90c3cc-0d44-4b50-8888-8dd25736052a") @Nullable String sourceId,
			@Schema(example = "'2023-13-45' is not a timestamp") String reason,
			@Schema(type = "object", implementation = Object.class) JsonNode payload, Instant firstSeenAt,
			Instant lastSeenAt, @Nullable Long lastRunId, int timesSeen) {
	}

}
