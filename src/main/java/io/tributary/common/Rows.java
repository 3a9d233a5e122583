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

	/** The first instant a {@code timestamptz} holds: 4714-11-24 BC, Julian day 0. */
	private static final Instant FIRST_STORABLE = Instant.parse("-4713-11-24T00:00:00Z");

	/** Just after the last instant a {@code timestamptz} holds: the end of 294276 AD. */
	private static final Instant AFTER_LAST_STORABLE = Instant.parse("+294277-01-01T00:00:00Z");

	private Rows() {
	}

	/**
	 * @param instant an instant that is to be compared with a {@code timestamptz} column
	 * @return the instant
	 * @throws IllegalArgumentException when PostgreSQL could not hold it (it would refuse
	 * the statement)
	 */
	public static Instant requireStorable(Instant instant) {
		if (instant.isBefore(FIRST_STORABLE) || !instant.isBefore(AFTER_LAST_STORABLE)) {
			throw new IllegalArgumentException(instant + " is outside the range of timestamptz");
		}
		return instant;
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
	 * @param rs the row
	 * @param column the position of a {@code timestamptz} column, from 1
	 * @return its instant, or null
	 * @throws SQLException when the column cannot be read
	 */
	public static Instant instant(ResultSet rs, int column) throws SQLException {
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
