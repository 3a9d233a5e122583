package io.tributary.sync;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import io.tributary.common.SyncDatabase;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What full passes listed ({@code sync_seen}), and the marks of rows deleted upstream:
 * {@code interaction.deleted_at} (never a removal), {@code missed_passes}, the count of
 * consecutive successful full passes that missed a row and whose check said gone or could
 * not decide, and {@code confirmed_present_at}, when the upstream last said a row no pass
 * listed is there.
 */
@Component
class DeletionStore {

	/**
	 * Consecutive missed full passes after which a row counts as deleted: no single
	 * answer deletes data.
	 */
	static final int MISSED_PASSES_TO_DELETE = 2;

	private final JdbcClient jdbc;

	DeletionStore(@SyncDatabase JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records what a full pass listed on one page; called in the page's transaction. */
	void listed(String connection, long passId, long runId, Collection<String> sourceIds) {
		if (!sourceIds.isEmpty()) {
			this.jdbc
				.sql("INSERT INTO sync_seen (connection, pass_id, run_id, source_id) SELECT :connection, :pass, :run, "
						+ "unnest(CAST(:ids AS text[])) ON CONFLICT (connection, pass_id, source_id) "
						+ "DO UPDATE SET run_id = excluded.run_id")
				.param("connection", connection)
				.param("pass", passId)
				.param("run", runId)
				.param("ids", sourceIds.toArray(String[]::new))
				.update();
		}
	}

	/**
	 * Any run that lists a row shows it is there: a row marked deleted that reappears is
	 * restored, and its count of missed passes starts again.
	 */
	void restore(String connection, Collection<String> sourceIds) {
		if (!sourceIds.isEmpty()) {
			this.jdbc
				.sql("UPDATE interaction SET deleted_at = NULL, missed_passes = 0 WHERE connection = :connection "
						+ "AND source_id = ANY(CAST(:ids AS text[])) AND (deleted_at IS NOT NULL OR missed_passes > 0)")
				.param("connection", connection)
				.param("ids", sourceIds.toArray(String[]::new))
				.update();
		}
	}

	/**
	 * @return whether the pass listed anything at all (an empty listing proves nothing)
	 */
	String anyListed(String connection, long passId) {
		return this.jdbc.sql("SELECT source_id FROM sync_seen WHERE connection = ? AND pass_id = ? LIMIT 1")
			.param(connection)
			.param(passId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/**
	 * The stored rows that wait for a check: not marked deleted, stored before the pass
	 * began, not listed by it, and not confirmed present within {@code recheckAfter}.
	 */
	private static final String UNLISTED = "FROM interaction i WHERE i.connection = :connection "
			+ "AND i.deleted_at IS NULL AND i.first_seen_at < (SELECT started_at FROM sync_run WHERE id = :pass) "
			+ "AND NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.connection = i.connection AND s.pass_id = :pass "
			+ "AND s.source_id = i.source_id) AND (i.missed_passes > 0 OR i.confirmed_present_at IS NULL "
			+ "OR i.confirmed_present_at < now() - (:recheck * interval '1 second'))";

	/**
	 * @return how many stored rows wait for a check after the pass
	 */
	long unlistedCount(String connection, long passId, Duration recheckAfter) {
		return this.jdbc.sql("SELECT count(*) " + UNLISTED)
			.param("connection", connection)
			.param("pass", passId)
			.param("recheck", recheckAfter.toSeconds())
			.query(Long.class)
			.single();
	}

	/**
	 * @return up to {@code limit} of the stored rows that wait for a check: first those a
	 * pass before already missed (their second answer decides), then those never
	 * confirmed present, then those confirmed longest ago; so rows that stay unlisted but
	 * alive never take every check from the rest
	 */
	List<String> unlisted(String connection, long passId, Duration recheckAfter, int limit) {
		return this.jdbc
			.sql("SELECT i.source_id " + UNLISTED
					+ " ORDER BY i.missed_passes DESC, i.confirmed_present_at NULLS FIRST, i.source_id LIMIT :limit")
			.param("connection", connection)
			.param("pass", passId)
			.param("recheck", recheckAfter.toSeconds())
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/**
	 * @return how many of a connection's rows are not marked deleted
	 */
	long live(String connection) {
		return this.jdbc.sql("SELECT count(*) FROM interaction WHERE connection = ? AND deleted_at IS NULL")
			.param(connection)
			.query(Long.class)
			.single();
	}

	/**
	 * The upstream says these rows are there: their count of missed passes starts again.
	 */
	void present(String connection, Collection<String> sourceIds) {
		if (!sourceIds.isEmpty()) {
			this.jdbc
				.sql("UPDATE interaction SET missed_passes = 0, confirmed_present_at = now() "
						+ "WHERE connection = :connection AND source_id = ANY(CAST(:ids AS text[]))")
				.param("connection", connection)
				.param("ids", sourceIds.toArray(String[]::new))
				.update();
		}
	}

	/**
	 * @return how many of these rows {@link #missed} would mark deleted
	 */
	int wouldDelete(String connection, Collection<String> sourceIds) {
		return sourceIds.isEmpty() ? 0
				: this.jdbc
					.sql("SELECT count(*) FROM interaction WHERE connection = :connection "
							+ "AND source_id = ANY(CAST(:ids AS text[])) AND deleted_at IS NULL "
							+ "AND missed_passes + 1 >= :threshold")
					.param("connection", connection)
					.param("ids", sourceIds.toArray(String[]::new))
					.param("threshold", MISSED_PASSES_TO_DELETE)
					.query(Integer.class)
					.single();
	}

	/**
	 * Counts one more missed pass for rows the upstream says are gone, or that nothing
	 * could decide; those missed by {@value #MISSED_PASSES_TO_DELETE} consecutive passes
	 * are marked deleted, unless {@code hold}.
	 * @param hold count the pass but mark nothing (the share guard stopped it)
	 * @return how many rows were marked deleted
	 */
	int missed(String connection, Collection<String> sourceIds, boolean hold) {
		return sourceIds.isEmpty() ? 0
				: this.jdbc
					.sql("UPDATE interaction SET missed_passes = missed_passes + 1, "
							+ "deleted_at = CASE WHEN missed_passes + 1 >= :threshold AND NOT :hold THEN now() END "
							+ "WHERE connection = :connection AND source_id = ANY(CAST(:ids AS text[])) "
							+ "AND deleted_at IS NULL RETURNING deleted_at")
					.param("threshold", MISSED_PASSES_TO_DELETE)
					.param("hold", hold)
					.param("connection", connection)
					.param("ids", sourceIds.toArray(String[]::new))
					.query((rs, row) -> rs.getObject(1) != null)
					.list()
					.stream()
					.filter(Boolean::booleanValue)
					.toList()
					.size();
	}

	/** Forgets what the connection's finished passes listed. */
	void forget(String connection, long passId) {
		this.jdbc.sql("DELETE FROM sync_seen WHERE connection = ? AND pass_id <= ?")
			.param(connection)
			.param(passId)
			.update();
	}

}
