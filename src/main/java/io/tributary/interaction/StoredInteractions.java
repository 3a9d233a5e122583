package io.tributary.interaction;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tributary.common.Rows;
import io.tributary.common.SyncDatabase;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What is already stored of some upstream items, for connectors that must decide whether
 * an item changed before paying for a detail call.
 */
@Component
public class StoredInteractions {

	private final JdbcClient jdbc;

	/**
	 * @param jdbc where the interactions are read: the sync's pool for the sync, the
	 * API's for the status API
	 */
	public StoredInteractions(@SyncDatabase JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param connection the connection
	 * @param sourceIds upstream ids
	 * @return the stored version of each id that is stored (without its raw)
	 */
	public Map<String, StoredVersion> versions(String connection, Collection<String> sourceIds) {
		return versions(connection, sourceIds, false);
	}

	/**
	 * @param connection the connection
	 * @param sourceIds upstream ids
	 * @param withRaw whether to read each stored {@code raw} too: what a connector
	 * carries over to a re-listed item (a detail call's fields) or compares a listed
	 * item's content with; left out otherwise, as it is the largest column
	 * @return the stored version of each id that is stored
	 */
	public Map<String, StoredVersion> versions(String connection, Collection<String> sourceIds, boolean withRaw) {
		Map<String, StoredVersion> versions = new HashMap<>();
		if (sourceIds.isEmpty()) {
			return versions;
		}
		this.jdbc
			.sql("SELECT source_id, COALESCE(source_updated_at, updated_at) AS updated_at, "
					+ "jsonb_array_length(messages) > 0 AS has_messages, " + (withRaw ? "raw::text" : "NULL::text")
					+ " AS raw FROM interaction " + "WHERE connection = :connection AND source_id IN (:ids)")
			.param("connection", connection)
			.param("ids", sourceIds)
			.query((rs, row) -> versions.put(rs.getString("source_id"),
					new StoredVersion(Rows.instant(rs, "updated_at"), rs.getBoolean("has_messages"),
							rs.getString("raw"))))
			.list();
		return versions;
	}

	/**
	 * @param connection the connection
	 * @param notBefore only items created at or after this
	 * @param limit the most ids
	 * @return the upstream ids of the items stored as in progress, not marked deleted,
	 * oldest first
	 */
	public List<String> openItems(String connection, Instant notBefore, int limit) {
		return this.jdbc
			.sql("SELECT source_id FROM interaction WHERE connection = :connection AND status = 'in_progress' "
					+ "AND created_at >= :notBefore AND deleted_at IS NULL ORDER BY created_at, source_id LIMIT :limit")
			.param("connection", connection)
			.param("notBefore", Rows.timestamp(notBefore))
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/**
	 * Stored items an older mapper version wrote, in id order.
	 * @param connection the connection
	 * @param version the current mapper version
	 * @param afterId only ids after this; null from the first
	 * @param limit how many at most
	 * @return their ids and stored {@code raw}
	 */
	public List<StoredRaw> mappedBefore(String connection, int version, UUID afterId, int limit) {
		return this.jdbc
			.sql("SELECT id, source_id, raw::text AS raw FROM interaction WHERE connection = :connection "
					+ "AND mapper_version < :version AND (CAST(:after AS uuid) IS NULL OR id > :after) "
					+ "ORDER BY id LIMIT :limit")
			.param("connection", connection)
			.param("version", version)
			.param("after", afterId)
			.param("limit", limit)
			.query((rs, row) -> new StoredRaw(rs.getObject("id", UUID.class), rs.getString("source_id"),
					rs.getString("raw")))
			.list();
	}

	/**
	 * @param id the gateway id
	 * @param sourceId the upstream id
	 * @param raw the stored upstream item, as JSON text
	 */
	public record StoredRaw(UUID id, String sourceId, String raw) {
	}

	/**
	 * @param connections the connections to count
	 * @return how many interactions each of them has stored (absent when none)
	 */
	public Map<String, Long> countsByConnection(Collection<String> connections) {
		Map<String, Long> counts = new HashMap<>();
		if (connections.isEmpty()) {
			return counts;
		}
		this.jdbc
			.sql("SELECT connection, count(*) AS n FROM interaction WHERE connection IN (:connections) "
					+ "GROUP BY connection")
			.param("connections", connections)
			.query((rs, row) -> counts.put(rs.getString("connection"), rs.getLong("n")))
			.list();
		return counts;
	}

	/**
	 * @param updatedAt the stored upstream update time
	 * @param hasMessages whether messages are stored
	 * @param raw the stored upstream item as JSON text; null unless asked for
	 */
	public record StoredVersion(Instant updatedAt, boolean hasMessages, String raw) {

		public StoredVersion(Instant updatedAt, boolean hasMessages) {
			this(updatedAt, hasMessages, null);
		}

	}

}
