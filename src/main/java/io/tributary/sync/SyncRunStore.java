package io.tributary.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tributary.common.Rows;
import io.tributary.common.SyncDatabase;
import io.tributary.interaction.WriteResult;
import io.tributary.source.SyncMode;
import io.tributary.common.ApiValue;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code sync_run} table. A unique index allows one running run per connection, so
 * "already running" is decided by the database, whatever the number of replicas.
 */
@Component
class SyncRunStore {

	private static final String ABANDONED = "abandoned: the process running it stopped before it finished";

	/**
	 * Whether a row of {@code sync_run} is a run whose process died: recorded as running,
	 * its connection's lock gone (see {@link #abandonOrphans}).
	 */
	private static final String DEAD = "(outcome = 'running' AND NOT EXISTS (SELECT 1 FROM shedlock s WHERE s.name = '"
			+ ConnectionLocks.PREFIX + "' || connection AND s.lock_until > now()))";

	/**
	 * A run as read: one whose process died is shown as its abandonment records it
	 * (failed, ended when its lease lapsed), so reads need not write that first.
	 */
	private static final String COLUMNS = "id, connection, mode, started_at, CASE WHEN " + DEAD
			+ " THEN GREATEST(started_at, (SELECT max(s.lock_until) FROM shedlock s WHERE s.name = '"
			+ ConnectionLocks.PREFIX + "' || connection)) ELSE finished_at END AS finished_at, CASE WHEN " + DEAD
			+ " THEN 'failed' ELSE outcome END AS outcome, pages, fetched, inserted, updated, unchanged, rejected, "
			+ "deleted, CASE WHEN " + DEAD + " THEN '" + ABANDONED
			+ "' ELSE error END AS error, warning, resumed_from, "
			+ "expected, CAST(EXTRACT(EPOCH FROM now() - started_at) * 1000 AS bigint) AS elapsed_ms";

	private final JdbcClient jdbc;

	SyncRunStore(@SyncDatabase JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records a new running run.
	 * @param connection the connection
	 * @param mode the mode
	 * @return the run id, or empty when the connection already has a running run
	 */
	Optional<Long> start(String connection, SyncMode mode) {
		try {
			return Optional
				.of(this.jdbc.sql("INSERT INTO sync_run (connection, mode) VALUES (:connection, :mode) RETURNING id")
					.param("connection", connection)
					.param("mode", mode.apiValue())
					.query(Long.class)
					.single());
		}
		catch (DuplicateKeyException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Adds a committed page's counts to its run, in the page's transaction. This is the
	 * fence of a run that lost its lock: when the run is no longer recorded as running,
	 * its lock lapsed and another process took the connection over, so the page must roll
	 * back and the run stop, and two runs never write at once.
	 * @param expected the items the run now expects in all; null leaves what it expected
	 * @throws IllegalStateException when the run is no longer recorded as running
	 */
	void addPage(long id, int fetched, WriteResult written, int rejected, Long expected) {
		int updated = this.jdbc.sql(
				"UPDATE sync_run SET pages = pages + 1, fetched = fetched + :fetched, inserted = inserted + :inserted, "
						+ "updated = updated + :updated, unchanged = unchanged + :unchanged, "
						+ "rejected = rejected + :rejected, expected = COALESCE(CAST(:expected AS bigint), expected) "
						+ "WHERE id = :id AND outcome = 'running'")
			.param("expected", expected)
			.param("fetched", fetched)
			.param("inserted", written.inserted())
			.param("updated", written.updated())
			.param("unchanged", Math.max(0, fetched - written.inserted() - written.updated() - rejected))
			.param("rejected", rejected)
			.param("id", id)
			.update();
		if (updated == 0) {
			throw lostLock();
		}
	}

	/**
	 * The fence of every other write a run makes (a watermark, a pass completed): in the
	 * write's transaction, the run's record is locked and must still say running, so a
	 * run that outlived its lease (a long pause) and was taken over writes nothing more.
	 * @param id the run
	 * @throws IllegalStateException when the run is no longer recorded as running
	 */
	void fence(long id) {
		if (this.jdbc.sql("SELECT 1 FROM sync_run WHERE id = ? AND outcome = 'running' FOR UPDATE")
			.param(id)
			.query(Integer.class)
			.optional()
			.isEmpty()) {
			throw lostLock();
		}
	}

	private static IllegalStateException lostLock() {
		return new IllegalStateException("the run lost its connection's lock to another process");
	}

	void finish(long id, boolean succeeded, String error) {
		finish(id, succeeded ? "succeeded" : "failed", error);
	}

	/**
	 * Records what a run reports without failing.
	 * @param id the run
	 * @param warning what it reports
	 */
	void warn(long id, String warning) {
		this.jdbc.sql("UPDATE sync_run SET warning = :warning WHERE id = :id")
			.param("warning", warning)
			.param("id", id)
			.update();
	}

	/**
	 * Counts rows a full pass marked deleted, in the transaction that marks them (which
	 * {@link #fence} guards).
	 */
	void addDeleted(long id, int deleted) {
		this.jdbc.sql("UPDATE sync_run SET deleted = deleted + :deleted WHERE id = :id")
			.param("deleted", deleted)
			.param("id", id)
			.update();
	}

	/**
	 * Records the end of a run that stopped because the gateway is shutting down: the
	 * pages it committed stay, and the next run reads the rest.
	 */
	void interrupt(long id) {
		finish(id, "interrupted", "interrupted: the gateway shut down while the run was under way");
	}

	/**
	 * Records the end of a scheduled full run that used up its slice: the pages it
	 * committed stay, and the pass goes on from there at a later poll.
	 */
	void pause(long id) {
		finish(id, "paused", null);
	}

	private void finish(long id, String outcome, String error) {
		this.jdbc
			.sql("UPDATE sync_run SET outcome = :outcome, finished_at = now(), error = :error WHERE id = :id "
					+ "AND outcome = 'running'")
			.param("outcome", outcome)
			.param("error", error)
			.param("id", id)
			.update();
	}

	/**
	 * Marks runs whose process died as failed: exactly the runs still marked running
	 * whose connection's lock is gone, whatever their age. A live run always holds its
	 * lock (it is taken before the run is recorded and renewed while it runs), so a
	 * running run without one has no process left.
	 * @return how many were marked
	 */
	int abandonOrphans() {
		return this.jdbc
			.sql("UPDATE sync_run r SET outcome = 'failed', finished_at = now(), "
					+ "error = :error WHERE r.outcome = 'running' AND NOT EXISTS (SELECT 1 FROM shedlock s "
					+ "WHERE s.name = :prefix || r.connection AND s.lock_until > now())")
			.param("prefix", ConnectionLocks.PREFIX)
			.param("error", ABANDONED)
			.update();
	}

	/**
	 * Marks the connection's running runs as abandoned; called while holding the
	 * connection's lock, which proves that no live process runs them.
	 * @param connection the connection whose lock the caller holds
	 * @return how many were marked
	 */
	int abandonLockedOut(String connection) {
		return this.jdbc
			.sql("UPDATE sync_run SET outcome = 'failed', finished_at = now(), error = :error "
					+ "WHERE outcome = 'running' AND connection = :connection")
			.param("error", ABANDONED)
			.param("connection", connection)
			.update();
	}

	/**
	 * Marks a full run as part of a pass.
	 * @param id the run
	 * @param passId the pass: the run's own id, or the pass it resumes
	 * @param resumedFrom the run it resumes; null when it starts a pass
	 */
	void joinPass(long id, long passId, Long resumedFrom) {
		this.jdbc.sql("UPDATE sync_run SET pass_id = :pass, resumed_from = :from WHERE id = :id")
			.param("pass", passId)
			.param("from", resumedFrom)
			.param("id", id)
			.update();
	}

	/**
	 * The connection's open full pass: the pass of its latest finished full run, when
	 * that run failed, was interrupted or paused, and ended within {@code within} (a pass
	 * that makes progress stays open however long it takes).
	 * @param connection the connection
	 * @param within how long ago the pass's last run may have ended
	 * @return the pass, if one is open
	 */
	Optional<OpenPass> openPass(String connection, Duration within) {
		return this.jdbc
			.sql("SELECT r.id, r.pass_id, r.outcome, r.finished_at, r.error, p.started_at AS pass_started_at, "
					+ "(SELECT count(*) FROM sync_run x WHERE x.connection = r.connection AND x.pass_id = r.pass_id) "
					+ "AS runs FROM sync_run r JOIN sync_run p ON p.id = r.pass_id "
					+ "WHERE r.id = (SELECT max(id) FROM sync_run WHERE connection = :connection AND mode = 'full' "
					+ "AND outcome <> 'running') AND r.outcome IN ('failed', 'interrupted', 'paused') "
					+ "AND r.finished_at > now() - (:seconds * interval '1 second')")
			.param("connection", connection)
			.param("seconds", within.toSeconds())
			.query((rs, row) -> new OpenPass(rs.getLong("pass_id"), rs.getLong("id"),
					Rows.instant(rs, "pass_started_at"), rs.getString("outcome"), Rows.instant(rs, "finished_at"),
					rs.getString("error"), rs.getInt("runs"), failures(connection, rs.getLong("pass_id"))))
			.optional();
	}

	/**
	 * @return how many of the pass's latest runs failed in a row; of the runs a dead
	 * process left (abandoned) in that row, all but one count: one replica that died is
	 * no failure of the pass, but a pass whose page takes its process down every time
	 * backs off like one that fails
	 */
	private int failures(String connection, long passId) {
		int failures = 0;
		boolean forgiven = false;
		for (Map<String, Object> run : this.jdbc
			.sql("SELECT outcome, error FROM sync_run WHERE connection = ? AND pass_id = ? AND outcome <> 'running' "
					+ "ORDER BY id DESC LIMIT 64")
			.param(connection)
			.param(passId)
			.query()
			.listOfRows()) {
			String error = (String) run.get("error");
			if (error != null && error.startsWith(ABANDONED) && !forgiven) {
				forgiven = true;
				continue;
			}
			if (!"failed".equals(run.get("outcome"))) {
				break;
			}
			failures++;
		}
		return failures;
	}

	/**
	 * The pass a running full run of the connection belongs to, as far as it has come.
	 * @param connection the connection
	 * @return the pass, while a full run of it is running
	 */
	Optional<OpenPass> runningPass(String connection) {
		return this.jdbc
			.sql("SELECT r.id, r.pass_id, p.started_at AS pass_started_at, (SELECT count(*) FROM sync_run x "
					+ "WHERE x.connection = r.connection AND x.pass_id = r.pass_id) AS runs FROM sync_run r "
					+ "JOIN sync_run p ON p.id = r.pass_id WHERE r.connection = :connection AND r.mode = 'full' "
					+ "AND r.outcome = 'running' ORDER BY r.id DESC LIMIT 1")
			.param("connection", connection)
			.query((rs, row) -> new OpenPass(rs.getLong("pass_id"), rs.getLong("id"),
					Rows.instant(rs, "pass_started_at"), "running", null, null, rs.getInt("runs"),
					failures(connection, rs.getLong("pass_id"))))
			.optional();
	}

	/**
	 * A full pass not yet completed.
	 *
	 * @param passId the pass (its first run's id)
	 * @param runId its latest finished run
	 * @param passStartedAt when its first run started
	 * @param outcome how its latest run ended: failed, interrupted or paused
	 * @param finishedAt when that run ended
	 * @param error why it failed or was interrupted
	 * @param runs how many runs it has had
	 * @param failures how many of its latest runs failed in a row
	 */
	record OpenPass(long passId, long runId, Instant passStartedAt, String outcome, Instant finishedAt,
			@Nullable String error, int runs, int failures) {
	}

	Optional<SyncRun> find(long id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM sync_run WHERE id = ?").param(id).query(this::run).optional();
	}

	Optional<SyncRun> latest(String connection) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM sync_run WHERE connection = ? ORDER BY id DESC LIMIT 1")
			.param(connection)
			.query(this::run)
			.optional();
	}

	/**
	 * @return the database's time: run records are in it, so freshness is measured
	 * against it
	 */
	Instant now() {
		return this.jdbc.sql("SELECT now()").query((rs, row) -> Rows.instant(rs, 1)).single();
	}

	/**
	 * @param connection the connection
	 * @return its latest finished sync run (renormalizations read no upstream, and a pass
	 * that paused neither succeeded nor failed: neither counts)
	 */
	Optional<SyncRun> latestFinishedSync(String connection) {
		return this.jdbc
			.sql("SELECT " + COLUMNS + " FROM sync_run WHERE connection = ? AND (outcome NOT IN ('running', 'paused') "
					+ "OR " + DEAD + ") AND mode <> 'renormalize' ORDER BY id DESC LIMIT 1")
			.param(connection)
			.query(this::run)
			.optional();
	}

	/**
	 * @param connection the connection
	 * @param mode only runs of this mode; null for any sync run (not renormalizations)
	 * @return the latest successful one
	 */
	Optional<SyncRun> latestSucceeded(String connection, SyncMode mode) {
		return this.jdbc
			.sql("SELECT " + COLUMNS + " FROM sync_run WHERE connection = ? AND outcome = 'succeeded'"
					+ (mode != null ? " AND mode = '" + mode.apiValue() + "'" : " AND mode <> 'renormalize'")
					+ " ORDER BY id DESC LIMIT 1")
			.param(connection)
			.query(this::run)
			.optional();
	}

	/**
	 * Runs newest first, keyset-paginated by id.
	 * @param connection only this connection's; null for all
	 * @param among only runs of these connections; null for all
	 * @param beforeId only runs older than this id; null from the newest
	 * @param limit page size
	 * @return the runs
	 */
	List<SyncRun> list(String connection, java.util.Collection<String> among, Long beforeId, int limit) {
		return this.jdbc
			.sql("SELECT " + COLUMNS
					+ " FROM sync_run WHERE (CAST(:connection AS text) IS NULL OR connection = :connection)"
					+ " AND (CAST(:among AS text[]) IS NULL OR connection = ANY(CAST(:among AS text[])))"
					+ " AND (CAST(:before AS bigint) IS NULL OR id < :before) ORDER BY id DESC LIMIT :limit")
			.param("connection", connection)
			.param("among", (among != null) ? among.toArray(String[]::new) : null)
			.param("before", beforeId)
			.param("limit", limit)
			.query(this::run)
			.list();
	}

	private SyncRun run(ResultSet rs, int row) throws SQLException {
		return new SyncRun(rs.getLong("id"), rs.getString("connection"),
				ApiValue.parse(SyncMode.class, rs.getString("mode")), Rows.instant(rs, "started_at"),
				Rows.instant(rs, "finished_at"), rs.getString("outcome"), rs.getInt("pages"), rs.getInt("fetched"),
				rs.getInt("inserted"), rs.getInt("updated"), rs.getInt("unchanged"), rs.getInt("rejected"),
				rs.getInt("deleted"), rs.getString("error"), rs.getString("warning"),
				rs.getObject("resumed_from", Long.class),
				"running".equals(rs.getString("outcome")) ? SyncProgress.of(rs.getInt("pages"), rs.getLong("fetched"),
						rs.getLong("elapsed_ms"), rs.getObject("expected", Long.class)) : null);
	}

}
