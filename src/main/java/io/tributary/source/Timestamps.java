package io.tributary.source;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads the timestamp spellings upstreams use: ISO-8601 with an offset, ISO-8601 without
 * one (taken as UTC), or epoch seconds.
 */
public final class Timestamps {

	private Timestamps() {
	}

	/**
	 * @param text the upstream's value
	 * @return the instant, or null for null or blank text
	 * @throws IllegalArgumentException when the text is not a timestamp
	 */
	public static Instant parse(String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		String value = text.trim();
		try {
			if (value.matches("\\d+(\\.\\d+)?")) {
				double seconds = Double.parseDouble(value);
				return Instant.ofEpochSecond((long) seconds, (long) ((seconds % 1) * 1_000_000_000L));
			}
			try {
				return OffsetDateTime.parse(value).toInstant();
			}
			catch (DateTimeParseException ex) {
				return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
			}
		}
		catch (DateTimeParseException | NumberFormatException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a timestamp", ex);
		}
	}

}
