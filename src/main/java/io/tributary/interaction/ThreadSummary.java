package io.tributary.interaction;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One conversation: a connection's thread, over the interactions the filters select.
 *
 * @param connection the connection
 * @param source its source kind
 * @param threadId the upstream's thread (conversation, channel) id
 * @param firstAt its first interaction's creation
 * @param lastAt its last interaction's creation
 * @param turns its interactions
 * @param participant who took part (the customer's own id where the upstream carries one)
 * @param models the models that answered
 * @param avgRating average normalized rating (0..1) of its rated interactions
 * @param inputTokens input tokens in all
 * @param outputTokens output tokens in all
 */
public record ThreadSummary(@Schema(example = "zylon-prod") String connection, @Schema(example = "zylon") String source,
		@Schema(example = "thr_01HZX3") String threadId, Instant firstAt, Instant lastAt,
		@Schema(example = "6") long turns, @Schema(example = "user-4711") @Nullable String participant,
		@Schema(example = "[\"gpt-4o\"]") List<String> models, @Schema(example = "0.8") @Nullable Double avgRating,
		@Schema(example = "1200") @Nullable Long inputTokens, @Schema(example = "3400") @Nullable Long outputTokens) {
}
