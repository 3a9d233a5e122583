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
	 * UTC.
	 */
	static final class StringToInstant implements Converter<String, Instant> {

		@Override
		public Instant convert(String source) {
			String text = source.trim();
			try {
				if (text.length() == 10) {
					return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
				}
				return OffsetDateTime.parse(text).toInstant();
			}
			catch (DateTimeParseException ex) {
				throw new InvalidValueException("'" + source
						+ "' is not a date-time: use ISO-8601 with an offset, such as 2026-11-01T09:30:00Z, or a date such as 2026-11-01");
			}
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
