package io.tributary.interaction;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.common.DataFreshness;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /api/v1/interactions/stats}.
 *
 * @param groupBy the dimensions grouped by, in the order asked
 * @param interval the time bucket; null when not bucketed
 * @param tz the time zone buckets are cut in
 * @param computedFrom {@code rollups}: read from the hourly rollups the writer keeps (the
 * partial hours at either end of the creation range from the interactions), percentiles
 * within 1/16 of the exact ones; {@code scan}: computed from every matching interaction,
 * percentiles exact
 * @param groups one per bucket and combination of dimension values that has interactions,
 * ordered by bucket then the dimensions (nulls last); without grouping, one group of
 * everything
 * @param freshness how fresh each connection that could contribute is
 */
public record InteractionStatsPage(@Schema(example = "[\"source\"]") List<String> groupBy,
		@Schema(example = "day") @Nullable String interval, @Schema(example = "Europe/Berlin") String tz,
		@Schema(allowableValues = {
				ROLLUPS, SCAN }, example = ROLLUPS) String computedFrom,
		List<Group> groups, DataFreshness freshness){

	/** {@link #computedFrom} of an answer read from the rollups. */
	static final String ROLLUPS = "rollups";

	/** {@link #computedFrom} of an answer computed from the interactions. */
	static final String SCAN = "scan";

	/**
	 * One group's metrics. Ratings are normalized (0..1) whatever the upstream's scale.
	 *
	 * @param bucket start of the time bucket, in {@code tz}'s offset at that moment;
	 * absent when not bucketed
	 * @param key the group's value of each {@code groupBy} dimension (null where the
	 * interactions carry none)
	 * @param count interactions
	 * @param inputTokens sum of input tokens (null when none carries a count)
	 * @param outputTokens sum of output tokens
	 * @param ratedCount interactions with a rating
	 * @param avgRating average normalized rating (0..1) of the rated ones
	 * @param feedbackCount interactions with feedback text
	 * @param errorCount interactions with status error
	 * @param p50OutputTokens median output tokens ({@code percentile_cont(0.5)}; from the
	 * rollups, within 1/16 of it)
	 * @param p95OutputTokens 95th percentile of output tokens (likewise)
	 * @param cost the tokens' price per {@code tributary.pricing}; null when any
	 * interaction of the group has a model without a price valid at its creation (never
	 * guessed)
	 */
	public record Group(@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable OffsetDateTime bucket,
			@Schema(example = "{\"source\": \"zylon\"}") Map<String, String> key, @Schema(example = "1200") long count,
			@Schema(example = "480000") @Nullable Long inputTokens,
			@Schema(example = "960000") @Nullable Long outputTokens, @Schema(example = "300") long ratedCount,
			@Schema(example = "0.82") @Nullable Double avgRating, @Schema(example = "45") long feedbackCount,
			@Schema(example = "3") long errorCount, @Schema(example = "512") @Nullable Double p50OutputTokens,
			@Schema(example = "2048") @Nullable Double p95OutputTokens,
			@Schema(example = "12.34") @Nullable BigDecimal cost) {
	}

}
