package io.tributary.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.stream.Collectors;

import io.tributary.common.ApiValue;

import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;

/**
 * Parameter converters whose failures say what would have been accepted.
 */
final class ParameterConverters {

	private ParameterConverters() {
	}

	/**
	 * ISO-8601 instants with an offset ({@code 2026-11-01T09:30:00Z},
	 * {@code 2026-11-01T10:30:00+01:00}) or a bare date, read as the start of that day in
	 * UTC; between the years 0001 and 9999 (in UTC), which is what ISO-8601 writes
	 * without a sign and what every client library handles (PostgreSQL would refuse some
	 * beyond).
	 */
	static final class StringToInstant implements Converter<String, Instant> {

		private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");

		private static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");

		@Override
		public Instant convert(String source) {
			String text = source.trim();
			Instant instant;
			try {
				instant = (text.indexOf('T') < 0 && text.indexOf('t') < 0)
						? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC)
						: OffsetDateTime.parse(text).toInstant();
			}
			catch (DateTimeParseException ex) {
				throw new InvalidValueException("'" + source
						+ "' is not a date-time: use ISO-8601 with an offset, such as 2026-11-01T09:30:00Z, or a date such as 2026-11-01");
			}
			if (instant.isBefore(FIRST) || !instant.isBefore(END)) {
				throw new InvalidValueException("'" + source
						+ "' is out of range: dates and times must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
			}
			return instant;
		}

	}

	/**
	 * Enums that implement {@link ApiValue}: matched on their API spelling,
	 * case-sensitively.
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static final class StringToApiValue implements ConverterFactory<String, Enum> {

		@Override
		public <T extends Enum> Converter<String, T> getConverter(Class<T> targetType) {
			if (!ApiValue.class.isAssignableFrom(targetType)) {
				return (source) -> (T) Enum.valueOf(targetType, source.trim());
			}
			return (source) -> {
				try {
					return (T) ApiValue.parse((Class) targetType, source.trim());
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidValueException(
							"'" + source + "' is not one of the allowed values: " + allowedValues(targetType));
				}
			};
		}

		private static String allowedValues(Class<?> type) {
			return Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((ApiValue) constant).apiValue())
				.collect(Collectors.joining(", "));
		}

	}

}
