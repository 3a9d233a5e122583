package io.tributary.interaction;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.common.Digests;
import io.tributary.common.ApiValue;
import io.tributary.common.InvalidParameter;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The query parameters of {@code GET /api/v1/interactions}. Every filter is optional;
 * given filters are combined with AND, repeated values of one filter with OR.
 */
record InteractionFilter(
		@Parameter(description = "Source kind; repeat the parameter for several (OR)",
				array = @ArraySchema(schema = @Schema(type = "string", example = "zylon"))) List<String> source,
		@Parameter(description = "Connection name, as configured under tributary.sources",
				example = "zylon-prod") @Pattern(regexp = NOT_BLANK, message = MUST_NOT_BE_BLANK) String connection,
		@Parameter(description = "Upstream id of the participant (user)",
				example = "3c90c3cc-0d44-4b50-8888-8dd25736052a") @Pattern(regexp = NOT_BLANK,
						message = MUST_NOT_BE_BLANK) String participantId,
		@Parameter(description = "The customer's own id of the participant", example = "user-4711") @Pattern(
				regexp = NOT_BLANK, message = MUST_NOT_BE_BLANK) String externalParticipantId,
		@Parameter(description = "Upstream id of the organization",
				example = "3c90c3cc-0d44-4b50-8888-8dd25736052a") @Pattern(regexp = NOT_BLANK,
						message = MUST_NOT_BE_BLANK) String organizationId,
		@Parameter(description = "Thread, conversation or channel id",
				example = "thr_01HZX3") @Pattern(regexp = NOT_BLANK, message = MUST_NOT_BE_BLANK) String threadId,
		@Parameter(description = "Product, project or agent id",
				example = "3c90c3cc-0d44-4b50-8888-8dd25736052a") @Pattern(regexp = NOT_BLANK,
						message = MUST_NOT_BE_BLANK) String productId,
		@Parameter(description = "AI model name, exact match", example = "gpt-4o") @Pattern(regexp = NOT_BLANK,
				message = MUST_NOT_BE_BLANK) String model,
		@Parameter(description = "Status; repeat the parameter for several (OR)",
				array = @ArraySchema(schema = @Schema(implementation = InteractionStatus.class,
						example = "completed"))) List<@NotNull(message = MUST_NOT_BE_EMPTY) InteractionStatus> status,
		@Parameter(description = "Created at or after this instant (ISO-8601, or a date meaning its start in UTC)",
				example = "2026-11-01T00:00:00Z") Instant createdFrom,
		@Parameter(
				description = "Created before this instant (exclusive; ISO-8601, or a date meaning its start in UTC)",
				example = "2026-11-23T00:00:00Z") Instant createdTo,
		@Parameter(description = "Updated upstream at or after this instant (ISO-8601)",
				example = "2026-11-20T00:00:00Z") Instant updatedSince,
		@Parameter(description = "Lowest normalized rating (0..1), inclusive",
				example = "0.5") @DecimalMin("0") @DecimalMax("1") Double minRating,
		@Parameter(description = "Highest normalized rating (0..1), inclusive",
				example = "1") @DecimalMin("0") @DecimalMax("1") Double maxRating,
		@Parameter(description = "true: only interactions with feedback text; false: only those without",
				example = "true") Boolean hasFeedback,
		@Parameter(
				description = "Full-text search over input, output and feedback: words are ANDed, \"quoted phrases\" and -excluded words work",
				example = "refund") @Pattern(regexp = NOT_BLANK, message = MUST_NOT_BE_BLANK) @Size(max = 500) String q,
		@Parameter(description = "Order: createdAt, -createdAt (newest first, the default), updatedAt or -updatedAt",
				example = "-createdAt") InteractionSort sort,
		@Parameter(description = "Page size, 1..200 (default 50)", example = "50") @Min(1) @Max(200) Integer limit,
		@Parameter(description = "Opaque cursor from page.nextCursor; only valid with the same filters and sort",
				example = "MXwtY3JlYXRlZEF0fDNm...") String cursor,
		@Parameter(
				description = "Adds page.total, the number of matching interactions: exact (or true) counts them (linear in the matches), estimated takes PostgreSQL's planner estimate (constant time; page.totalIsEstimate says which)",
				example = "estimated") TotalMode includeTotal,
		@Parameter(description = "true also lists interactions deleted upstream (they carry deletedAt)",
				example = "false") Boolean includeDeleted) {

	/** Some non-blank text, and no NUL (PostgreSQL cannot compare text holding one). */
	static final String NOT_BLANK = "[^\\x00]*[^\\s\\x00][^\\x00]*";

	static final String MUST_NOT_BE_BLANK = "must not be blank or contain NUL characters";

	/**
	 * For a repeated parameter given once without a value
	 * ({@code status=completed&status=}).
	 */
	static final String MUST_NOT_BE_EMPTY = "must not be empty: give each repetition a value";

	static final int DEFAULT_LIMIT = 50;

	InteractionSort sortOrDefault() {
		return (this.sort != null) ? this.sort : InteractionSort.CREATED_AT_DESC;
	}

	int limitOrDefault() {
		return (this.limit != null) ? this.limit : DEFAULT_LIMIT;
	}

	boolean wantsTotal() {
		return this.includeTotal != null && this.includeTotal.wanted();
	}

	boolean wantsEstimatedTotal() {
		return this.includeTotal != null && this.includeTotal.estimated();
	}

	/**
	 * Refuses source kinds nobody registered, and combinations that are each valid alone
	 * but cannot be met together.
	 * @param kinds the registered source kinds
	 */
	void check(SourceNames kinds) {
		if (this.source != null) {
			for (String kind : this.source) {
				if (!kinds.names().contains(kind)) {
					throw new InvalidParameter("source", "Parameter 'source': '" + kind
							+ "' is not one of the allowed values: " + String.join(", ", kinds.names()));
				}
			}
		}
		if (this.createdFrom != null && this.createdTo != null && this.createdFrom.isAfter(this.createdTo)) {
			throw new InvalidParameter("createdFrom",
					"Parameter 'createdFrom' (" + this.createdFrom + ") is after 'createdTo' (" + this.createdTo + ")");
		}
		if (this.minRating != null && this.maxRating != null && this.minRating > this.maxRating) {
			throw new InvalidParameter("minRating", "Parameter 'minRating' (" + this.minRating
					+ ") is greater than 'maxRating' (" + this.maxRating + ")");
		}
	}

	/**
	 * A short digest of the filters (not sort, limit or cursor), carried in cursors so
	 * one issued for other filters is refused.
	 * @return hex digest
	 */
	String fingerprint() {
		String canonical = String.join("\u0001",
				(this.source == null) ? "null"
						: this.source.stream().sorted().distinct().collect(Collectors.joining(",")),
				Objects.toString(this.connection), Objects.toString(this.participantId),
				Objects.toString(this.externalParticipantId), Objects.toString(this.organizationId),
				Objects.toString(this.threadId), Objects.toString(this.productId), Objects.toString(this.model),
				sorted(this.status), Objects.toString(this.createdFrom), Objects.toString(this.createdTo),
				Objects.toString(this.updatedSince), Objects.toString(this.minRating), Objects.toString(this.maxRating),
				Objects.toString(this.hasFeedback), Objects.toString(this.q), Objects.toString(this.includeDeleted));
		return HexFormat.of().formatHex(Digests.sha256(canonical), 0, 8);
	}

	private static String sorted(List<? extends ApiValue> values) {
		return (values == null) ? "null"
				: values.stream().map(ApiValue::apiValue).sorted().distinct().collect(Collectors.joining(","));
	}

}
