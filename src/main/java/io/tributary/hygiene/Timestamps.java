package io.tributary.hygiene;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Reads the timestamp spellings upstreams use, the same way for every kind:
 * <ul>
 * <li>ISO-8601 with an offset or a zone: {@code 2023-11-07T05:31:56Z}, {@code …+00:00},
 * {@code …+0000}, {@code …+00}, {@code …+01:00[Europe/Paris]}, {@code …[Europe/Paris]},
 * and {@code UTC} / {@code GMT} spelled out;</li>
 * <li>the same with a space instead of the {@code T} ({@code 2023-11-07 05:31:56+00:00},
 * {@code 2023-11-07 05:31:56Z}), a space before the offset, and up to nanosecond
 * fractions ({@code 2023-11-07 05:31:56.123456});</li>
 * <li>ISO-8601 without offset or zone (a date alone is its midnight): taken in the zone
 * the caller names (the connection's {@code time-zone}; UTC when it names none), and
 * reported as {@link Parsed#withoutZone() without zone} so that the row can say so in its
 * attributes ({@value #WITHOUT_ZONE});</li>
 * <li>epoch numbers (JSON numbers or strings of digits, fraction and exponent allowed),
 * whose unit is told by their magnitude: below 10<sup>11</sup> they are seconds, below
 * 10<sup>14</sup> milliseconds, below 10<sup>17</sup> microseconds, else nanoseconds.
 * Whatever the unit, the instant must lie in {@link #PLAUSIBLE_FROM} ..
 * {@link #PLAUSIBLE_UNTIL}: a number outside is refused rather than guessed, so a date
 * spelled as digits ({@code 20231107}, which as seconds would be 1970-08-23), a
 * millisecond epoch too small to tell from seconds, or a stray counter never becomes a
 * time that retention then silently drops; the item is quarantined instead.</li>
 * </ul>
 * Every instant is cut to microseconds, the precision PostgreSQL keeps: an upstream time
 * with nanoseconds then equals its stored value, so an unchanged item reads as unchanged.
 */
public final class Timestamps {

	/**
	 * The attribute a mapper sets to {@code true} when a timestamp it read had no zone
	 * (and was taken as UTC); absent otherwise.
	 */
	public static final String WITHOUT_ZONE = "timestampsWithoutZone";

	/**
	 * The earliest epoch number taken as a time: no upstream of AI interactions has
	 * records older.
	 */
	public static final Instant PLAUSIBLE_FROM = Instant.parse("2000-01-01T00:00:00Z");

	/** The end of the range of epoch numbers taken as a time. */
	public static final Instant PLAUSIBLE_UNTIL = Instant.parse("2200-01-01T00:00:00Z");

	private static final BigDecimal MILLISECONDS_FROM = BigDecimal.TEN.pow(11);

	private static final BigDecimal MICROSECONDS_FROM = BigDecimal.TEN.pow(14);

	private static final BigDecimal NANOSECONDS_FROM = BigDecimal.TEN.pow(17);

	private static final Pattern EPOCH = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

	/**
	 * Date (a year beyond 9999 signed, as in ISO); then, optionally, {@code T}, {@code t}
	 * or spaces and a time; then, optionally, spaces and an offset; then, optionally, a
	 * bracketed zone id.
	 */
	private static final Pattern ISO = Pattern.compile("((?:[+-]\\d{4,9}|\\d{4})-\\d{2}-\\d{2})(?:(?:[Tt]|\\s+)"
			+ "(\\d{2}:\\d{2}(?::\\d{2}(?:[.,](\\d+))?)?))?\\s*(Z|z|(?i:UTC|GMT)|[+-]\\d{2}(?::?\\d{2})?)?"
			+ "(?:\\[([^\\]]+)\\])?");

	private Timestamps() {
	}

	/**
	 * @param text the upstream's value
	 * @return the instant, or null for null or blank text
	 * @throws IllegalArgumentException when the text is not a timestamp
	 */
	static Instant parse(String text) {
		Parsed parsed = read(text);
		return (parsed != null) ? parsed.instant() : null;
	}

	/**
	 * Reads a text in UTC when it has no zone.
	 * @param text the upstream's value
	 * @return the instant and whether its zone was missing, or null for null or blank
	 * text
	 * @throws IllegalArgumentException when the text is not a timestamp
	 */
	public static Parsed read(String text) {
		return read(text, ZoneOffset.UTC);
	}

	/**
	 * @param text the upstream's value
	 * @param zone the zone of a text that names none (the connection's)
	 * @return the instant and whether its zone was missing, or null for null or blank
	 * text
	 * @throws IllegalArgumentException when the text is not a timestamp
	 */
	public static Parsed read(String text, ZoneId zone) {
		if (text == null || text.isBlank()) {
			return null;
		}
		String value = text.strip();
		try {
			if (EPOCH.matcher(value).matches()) {
				return new Parsed(epoch(new BigDecimal(value)), false);
			}
			Matcher iso = ISO.matcher(value);
			if (iso.matches()) {
				return iso(iso, zone);
			}
		}
		catch (DateTimeException | ArithmeticException | NumberFormatException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a timestamp", ex);
		}
		throw new IllegalArgumentException("'" + text + "' is not a timestamp");
	}

	/**
	 * @param value the upstream's value: a string as {@link #read(String)} reads it, or a
	 * number of seconds, milliseconds, microseconds or nanoseconds since the epoch
	 * @return the instant and whether its zone was missing, or null for null, missing or
	 * blank
	 * @throws IllegalArgumentException when the value is not a timestamp
	 */
	public static Parsed read(JsonNode value) {
		return read(value, ZoneOffset.UTC);
	}

	/**
	 * @param value the upstream's value: a string as {@link #read(String, ZoneId)} reads
	 * it, or a number of seconds, milliseconds, microseconds or nanoseconds since the
	 * epoch
	 * @param zone the zone of a text that names none (the connection's)
	 * @return the instant and whether its zone was missing, or null for null, missing or
	 * blank
	 * @throws IllegalArgumentException when the value is not a timestamp
	 */
	public static Parsed read(JsonNode value, ZoneId zone) {
		if (value == null || value.isNull() || value.isMissingNode()) {
			return null;
		}
		if (value.isString()) {
			return read(value.asString(), zone);
		}
		if (value.isNumber()) {
			try {
				return new Parsed(epoch(value.decimalValue()), false);
			}
			catch (DateTimeException | ArithmeticException | NumberFormatException ex) {
				throw new IllegalArgumentException("'" + value + "' is not a timestamp", ex);
			}
		}
		throw new IllegalArgumentException("'" + value + "' is not a timestamp");
	}

	/**
	 * Reads one field of an item, so that a refusal names the field.
	 * @param field the field's name as the upstream spells it
	 * @param value its value
	 * @param zone the zone of a text that names none (the connection's)
	 * @return as {@link #read(JsonNode, ZoneId)}
	 * @throws IllegalArgumentException naming the field when the value is not a timestamp
	 */
	public static Parsed field(String field, JsonNode value, ZoneId zone) {
		try {
			return read(value, zone);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(field + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * @param field the field's name as the upstream spells it
	 * @param text its value
	 * @param zone the zone of a text that names none (the connection's)
	 * @return as {@link #read(String, ZoneId)}
	 * @throws IllegalArgumentException naming the field when the value is not a timestamp
	 */
	public static Parsed field(String field, String text, ZoneId zone) {
		try {
			return read(text, zone);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(field + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * @param value a number of seconds, milliseconds, microseconds or nanoseconds since
	 * the epoch, told apart by magnitude (see the class description)
	 * @return the instant, cut to microseconds
	 * @throws ArithmeticException or {@link DateTimeException} when it is out of range
	 * @throws IllegalArgumentException when it lies outside the plausible range
	 */
	static Instant epoch(BigDecimal value) {
		BigDecimal magnitude = value.abs();
		int digits = (magnitude.compareTo(MILLISECONDS_FROM) < 0) ? 0 : (magnitude.compareTo(MICROSECONDS_FROM) < 0) ? 3
				: (magnitude.compareTo(NANOSECONDS_FROM) < 0) ? 6 : 9;
		BigDecimal seconds = value.movePointLeft(digits);
		BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
		long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.DOWN).longValueExact();
		Instant instant = Instant.ofEpochSecond(whole.longValueExact(), nanos);
		if (instant.isBefore(PLAUSIBLE_FROM) || !instant.isBefore(PLAUSIBLE_UNTIL)) {
			throw new IllegalArgumentException("'" + value.toPlainString() + "' is no plausible timestamp: as epoch "
					+ UNITS[digits / 3] + " it is " + instant + ", outside " + PLAUSIBLE_FROM + " .. " + PLAUSIBLE_UNTIL
					+ " (a date is spelled yyyy-MM-dd)");
		}
		return micros(instant);
	}

	private static final String[] UNITS = { "seconds", "milliseconds", "microseconds", "nanoseconds" };

	private static Instant micros(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS);
	}

	private static Parsed iso(Matcher iso, ZoneId assumed) {
		LocalDate date = LocalDate.parse(iso.group(1));
		LocalTime time = LocalTime.MIDNIGHT;
		if (iso.group(2) != null) {
			String spelled = iso.group(2);
			String fraction = iso.group(3);
			if (fraction != null) {
				// a comma is ISO's other decimal sign; digits beyond nanoseconds are cut
				spelled = spelled.substring(0, spelled.length() - fraction.length() - 1) + "."
						+ fraction.substring(0, Math.min(fraction.length(), 9));
			}
			time = LocalTime.parse(spelled);
		}
		LocalDateTime local = LocalDateTime.of(date, time);
		ZoneId zone = zone(iso.group(4), iso.group(5));
		if (zone == null) {
			return new Parsed(micros(local.atZone((assumed != null) ? assumed : ZoneOffset.UTC).toInstant()), true);
		}
		return new Parsed(micros(local.atZone(zone).toInstant()), false);
	}

	/**
	 * The offset when one is given (it wins over a bracketed zone, as in ISO), else the
	 * zone.
	 */
	private static ZoneId zone(String offset, String region) {
		if (offset != null) {
			String upper = offset.toUpperCase(Locale.ROOT);
			if (upper.equals("Z") || upper.equals("UTC") || upper.equals("GMT")) {
				return ZoneOffset.UTC;
			}
			String digits = offset.replace(":", "");
			return ZoneOffset.of((digits.length() == 3) ? digits : digits.substring(0, 3) + ":" + digits.substring(3));
		}
		return (region != null) ? ZoneId.of(region) : null;
	}

	/**
	 * A timestamp as read.
	 *
	 * @param instant the instant
	 * @param withoutZone whether the text had no offset or zone, so the connection's zone
	 * was assumed
	 */
	public record Parsed(Instant instant, boolean withoutZone) {
	}

}
