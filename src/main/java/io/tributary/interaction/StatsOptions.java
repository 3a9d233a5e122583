package io.tributary.interaction;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.common.ApiValue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The rollup's own parameters of {@code GET /api/v1/interactions/stats}; the list's
 * filters come with them.
 */
record StatsOptions(@Parameter(
		description = "Group by these dimensions (repeat the parameter, or separate with commas): source, connection, model, status, participant (the customer's own id where the upstream carries one, else the upstream's), thread",
		array = @ArraySchema(schema = @Schema(implementation = Dimension.class, example = "source"),
				maxItems = 6)) @Size(
						max = 6) List<@NotNull(message = InteractionFilter.MUST_NOT_BE_EMPTY) Dimension> groupBy,
		@Parameter(
				description = "Also group by time bucket of the creation time: hour, day, week (from Monday) or month",
				example = "day") Interval interval,
		@Parameter(
				description = "IANA time zone the buckets are cut in (default UTC); buckets follow its daylight-saving changes (a day may last 23 or 25 hours)",
				schema = @Schema(type = "string", format = "iana-time-zone", example = "Europe/Berlin")) @Pattern(
						regexp = "[A-Za-z0-9_+\\-/]+",
						message = "must be an IANA time zone such as Europe/Berlin or UTC") String tz) {

	/** What a rollup can group by, and the column that holds it. */
	enum Dimension implements ApiValue {

		SOURCE("source", "source"), CONNECTION("connection", "connection"), MODEL("model", "model"),
		STATUS("status", "status"), PARTICIPANT("participant", "COALESCE(participant_external_id, participant_id)"),
		THREAD("thread", "thread_id");

		private final String apiValue;

		private final String expression;

		Dimension(String apiValue, String expression) {
			this.apiValue = apiValue;
			this.expression = expression;
		}

		@Override
		@JsonValue
		public String apiValue() {
			return this.apiValue;
		}

		String expression() {
			return this.expression;
		}

	}

	/** Time buckets; their names are PostgreSQL's {@code date_trunc} fields. */
	enum Interval implements ApiValue {

		HOUR("hour", 3_600), DAY("day", 86_400), WEEK("week", 7 * 86_400), MONTH("month", 28 * 86_400);

		private final String apiValue;

		/** The shortest such bucket, in seconds: bounds how many a time range holds. */
		private final long shortestSeconds;

		Interval(String apiValue, long shortestSeconds) {
			this.apiValue = apiValue;
			this.shortestSeconds = shortestSeconds;
		}

		@Override
		@JsonValue
		public String apiValue() {
			return this.apiValue;
		}

		long shortestSeconds() {
			return this.shortestSeconds;
		}

	}

}
