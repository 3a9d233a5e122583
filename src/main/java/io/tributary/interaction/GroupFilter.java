package io.tributary.interaction;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * The query parameters of the conversation and people lists ({@code /api/v1/threads},
 * {@code /api/v1/participants}): the interactions they are drawn from, and the page.
 */
record GroupFilter(
		@Parameter(description = "Source kind; repeat the parameter for several (OR)",
				array = @ArraySchema(schema = @Schema(type = "string", example = "zylon"))) List<String> source,
		@Parameter(description = "Connection name", example = "zylon-prod") @Pattern(
				regexp = InteractionFilter.NOT_BLANK, message = InteractionFilter.MUST_NOT_BE_BLANK) String connection,
		@Parameter(
				description = "Participant: the customer's own id where the upstream carries one, else the upstream's id",
				example = "user-4711") @Pattern(regexp = InteractionFilter.NOT_BLANK,
						message = InteractionFilter.MUST_NOT_BE_BLANK) String participant,
		@Parameter(description = "Only interactions created at or after this instant (ISO-8601, or a date)",
				example = "2026-11-01T00:00:00Z") Instant createdFrom,
		@Parameter(description = "Only interactions created before this instant (exclusive)",
				example = "2026-11-23T00:00:00Z") Instant createdTo,
		@Parameter(description = "Page size, 1..200 (default 50)", example = "50") @Min(1) @Max(200) Integer limit,
		@Parameter(description = "Opaque cursor from page.nextCursor; only valid with the same filters",
				example = "dGhyZWFkcy52MXw...") String cursor) {

	/**
	 * @return the same selection as list filters (interactions not deleted upstream)
	 */
	InteractionFilter interactions() {
		return new InteractionFilter(this.source, this.connection, null, null, null, null, null, null, null,
				this.createdFrom, this.createdTo, null, null, null, null, null, null, null, null, null, null);
	}

	int limitOrDefault() {
		return (this.limit != null) ? this.limit : InteractionFilter.DEFAULT_LIMIT;
	}

}
