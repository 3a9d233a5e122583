package io.tributary.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tributary.common.Rows;
import io.tributary.common.SyncDatabase;
import io.tributary.source.SyncMode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code sync_stream} table: per stream of a connection, its watermark (moved only by
 * a run that read the stream down to its stop point, never past the run's start plus the
 * skew allowance) and the state of the current full pass (where it last committed a page,
 * the newest change it saw, whether it finished the stream), from which a stopped full
 * run resumes.
 */
@Component
class StreamStore {

	private final JdbcClient jdbc;

	StreamStore(@SyncDatabase JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param connection the connection
	 * @return its streams' states, by stream
	 */
	Map<String, StreamState> load(String connection) {
		Map<String, StreamState> states = new LinkedHashMap<>();
		this.jdbc
			.sql("SELECT stream, watermark, pass_id, pass_position, pass_completed FROM sync_stream "
					+ "WHERE connection = ? ORDER BY stream")
			.param(connection)
			.query((rs, row) -> states.put(rs.getString("stream"), state(rs)))
			.list();
		return states;
	}

	/**
	 * Records a committed page of a full pass; called in the page's transaction.
	 * @param connection the connection
	 * @param stream the page's stream
	 * @param passId the full pass
	 * @param position where the page was read from
	 * @param seen the newest change on the page that may move a watermark; null for none
	 */
	void progress(String connection, String stream, long passId, String position, Instant seen) {
		this.jdbc.sql("INSERT INTO sync_stream (connection, stream, pass_id, pass_position, pass_seen) "
				+ "VALUES (:connection, :stream, :pass, :position, :seen) ON CONFLICT (connection, stream) DO UPDATE SET "
				+ "pass_position = excluded.pass_position, "
				+ "pass_seen = CASE WHEN sync_stream.pass_id = excluded.pass_id "
				+ "THEN GREATEST(sync_stream.pass_seen, excluded.pass_seen) ELSE excluded.pass_seen END, "
				+ "pass_completed = CASE WHEN sync_stream.pass_id = excluded.pass_id "
				+ "THEN sync_stream.pass_completed ELSE false END, " + "pass_id = excluded.pass_id, updated_at = now()")
			.param("connection", connection)
			.param("stream", stream)
			.param("pass", passId)
			.param("position", position)
			.param("seen", Rows.timestamp(seen))
			.update();
	}

	/**
	 * A run read {@code stream} down to its stop point (or its end). An incremental run
	 * moves the watermark forward to what it saw; so does a full pass, to what the pass
	 * saw in the stream: never back, since the poll's incremental runs read the heads
	 * while a long pass goes on, and a pass that took a day would otherwise send the next
	 * incremental run back over a day of items it already read.
	 * @param connection the connection
	 * @param stream the stream
	 * @param mode the run's mode
	 * @param passId the full pass; null for an incremental run
	 * @param seen the newest change this run saw in the stream that may move a watermark
	 */
	void complete(String connection, String stream, SyncMode mode, Long passId, Instant seen) {
		if (mode == SyncMode.FULL) {
			this.jdbc
				.sql("INSERT INTO sync_stream (connection, stream, watermark, pass_id, pass_seen, pass_completed) "
						+ "VALUES (:connection, :stream, :seen, :pass, :seen, true) ON CONFLICT (connection, stream) "
						+ "DO UPDATE SET watermark = GREATEST(sync_stream.watermark, CASE WHEN sync_stream.pass_id = "
						+ "excluded.pass_id THEN GREATEST(sync_stream.pass_seen, excluded.pass_seen) "
						+ "ELSE excluded.pass_seen END), "
						+ "pass_seen = NULL, pass_position = NULL, pass_completed = true, pass_id = excluded.pass_id, "
						+ "updated_at = now()")
				.param("connection", connection)
				.param("stream", stream)
				.param("pass", passId)
				.param("seen", Rows.timestamp(seen))
				.update();
		}
		else if (seen != null) {
			this.jdbc
				.sql("INSERT INTO sync_stream (connection, stream, watermark) VALUES (:connection, :stream, :seen) "
						+ "ON CONFLICT (connection, stream) DO UPDATE SET watermark = "
						+ "GREATEST(sync_stream.watermark, excluded.watermark), updated_at = now()")
				.param("connection", connection)
				.param("stream", stream)
				.param("seen", Rows.timestamp(seen))
				.update();
		}
	}

	private static StreamState state(ResultSet rs) throws SQLException {
		return new StreamState(Rows.instant(rs, "watermark"), rs.getObject("pass_id", Long.class),
				rs.getString("pass_position"), rs.getBoolean("pass_completed"));
	}

	/**
	 * @param watermark the newest change a run read the stream down to; null before one
	 * did
	 * @param passId the full pass the rest belongs to
	 * @param position where that pass last committed a page of the stream
	 * @param completed whether that pass read the stream to its end
	 */
	record StreamState(Instant watermark, Long passId, String position, boolean completed) {
	}

}
