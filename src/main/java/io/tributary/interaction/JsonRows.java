package io.tributary.interaction;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/**
 * Columns of a row written as JSON values, each exactly as Jackson writes the record
 * component the row would otherwise be mapped to (a null stays a JSON null): for pages
 * written straight from the {@code ResultSet}, without a model object per row.
 */
final class JsonRows {

	private JsonRows() {
	}

	static void string(JsonGenerator g, String name, ResultSet rs, int column) throws SQLException {
		g.writeName(name);
		String value = rs.getString(column);
		if (value != null) {
			g.writeString(value);
		}
		else {
			g.writeNull();
		}
	}

	static void bigint(JsonGenerator g, String name, ResultSet rs, int column) throws SQLException {
		g.writeName(name);
		long value = rs.getLong(column);
		if (!rs.wasNull()) {
			g.writeNumber(value);
		}
		else {
			g.writeNull();
		}
	}

	static void decimal(JsonGenerator g, String name, ResultSet rs, int column) throws SQLException {
		g.writeName(name);
		BigDecimal value = rs.getBigDecimal(column);
		if (value != null) {
			g.writeNumber(value);
		}
		else {
			g.writeNull();
		}
	}

	static void float8(JsonGenerator g, String name, ResultSet rs, int column) throws SQLException {
		g.writeName(name);
		double value = rs.getDouble(column);
		if (!rs.wasNull()) {
			g.writeNumber(value);
		}
		else {
			g.writeNull();
		}
	}

	/**
	 * A {@code timestamptz} as Jackson writes an {@link java.time.Instant}.
	 * @return the text written, or null
	 */
	static @Nullable String instant(JsonGenerator g, String name, ResultSet rs, int column) throws SQLException {
		g.writeName(name);
		String text = iso(rs.getObject(column, OffsetDateTime.class));
		if (text != null) {
			g.writeString(text);
		}
		else {
			g.writeNull();
		}
		return text;
	}

	/**
	 * @param time a time, or null
	 * @return its instant as {@link java.time.Instant#toString()} writes it (ISO-8601 in
	 * UTC, the fraction in groups of three digits, none when zero), or null
	 */
	static @Nullable String iso(@Nullable OffsetDateTime time) {
		if (time == null) {
			return null;
		}
		OffsetDateTime utc = (time.getOffset().getTotalSeconds() == 0) ? time
				: time.withOffsetSameInstant(ZoneOffset.UTC);
		int year = utc.getYear();
		if (year < 0 || year > 9999) {
			return utc.toInstant().toString();
		}
		char[] text = new char[30];
		digits(text, 0, year, 4);
		text[4] = '-';
		digits(text, 5, utc.getMonthValue(), 2);
		text[7] = '-';
		digits(text, 8, utc.getDayOfMonth(), 2);
		text[10] = 'T';
		digits(text, 11, utc.getHour(), 2);
		text[13] = ':';
		digits(text, 14, utc.getMinute(), 2);
		text[16] = ':';
		digits(text, 17, utc.getSecond(), 2);
		int length = 19;
		int nano = utc.getNano();
		if (nano > 0) {
			text[length++] = '.';
			if (nano % 1_000_000 == 0) {
				digits(text, length, nano / 1_000_000, 3);
				length += 3;
			}
			else if (nano % 1000 == 0) {
				digits(text, length, nano / 1000, 6);
				length += 6;
			}
			else {
				digits(text, length, nano, 9);
				length += 9;
			}
		}
		text[length++] = 'Z';
		return new String(text, 0, length);
	}

	private static void digits(char[] text, int at, int value, int width) {
		for (int i = at + width - 1; i >= at; i--) {
			text[i] = (char) ('0' + value % 10);
			value /= 10;
		}
	}

}
