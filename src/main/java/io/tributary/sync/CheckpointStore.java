package io.tributary.sync;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code sync_checkpoint} table: per connection, the watermark (the newest upstream
 * change a complete run committed).
 */
@Component
class CheckpointStore {

	private final JdbcClient jdbc;

	CheckpointStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param connection the connection
	 * @return its watermark, or null before its first complete run
	 */
	Instant watermark(String connection) {
		return this.jdbc.sql("SELECT watermark FROM sync_checkpoint WHERE connection = ?")
			.param(connection)
			.query((rs, row) -> {
				OffsetDateTime value = rs.getObject("watermark", OffsetDateTime.class);
				return (value != null) ? value.toInstant() : null;
			})
			.optional()
			.orElse(null);
	}

	/**
	 * Moves the watermark forward (never back); called once a run has read down to the
	 * old one.
	 */
	void advance(String connection, Instant watermark) {
		if (watermark == null) {
			return;
		}
		this.jdbc.sql(
				"INSERT INTO sync_checkpoint (connection, watermark, updated_at) VALUES (:connection, :watermark, now()) "
						+ "ON CONFLICT (connection) DO UPDATE SET watermark = GREATEST(sync_checkpoint.watermark, "
						+ "excluded.watermark), updated_at = now()")
			.param("connection", connection)
			.param("watermark", watermark.atOffset(ZoneOffset.UTC))
			.update();
	}

}
