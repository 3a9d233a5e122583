package io.tributary.common;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Timestamps between JDBC and the domain: {@code timestamptz} columns are read as
 * {@link OffsetDateTime} and written in UTC.
 */
public final class Rows {

	private Rows() {
	}

	/**
	 * @param rs the row
	 * @param column a {@code timestamptz} column
	 * @return its instant, or null
	 * @throws SQLException when the column cannot be read
	 */
	public static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * @param instant an instant, or null
	 * @return it as a {@code timestamptz} parameter, or null
	 */
	public static OffsetDateTime timestamp(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
