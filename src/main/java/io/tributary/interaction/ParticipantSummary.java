package io.tributary.interaction;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One person across every source that carries the customer's own id for them.
 *
 * @param externalParticipantId the customer's own id of the person
 * @param sources the source kinds they appear in
 * @param connections the connections they appear in
 * @param interactions their interactions
 * @param threads their conversations
 * @param firstAt their first interaction's creation
 * @param lastAt their last interaction's creation
 * @param avgRating average normalized rating (0..1) of their rated interactions
 * @param inputTokens input tokens in all
 * @param outputTokens output tokens in all
 */
public record ParticipantSummary(@Schema(example = "user-4711") String externalParticipantId,
		@Schema(example = "[\"greenflash\", \"zylon\"]") List<String> sources,
		@Schema(example = "[\"greenflash-prod\", \"zylon-prod\"]") List<String> connections,
		@Schema(example = "42") long interactions, @Schema(example = "7") long threads, Instant firstAt, Instant lastAt,
		@Schema(example = "0.8") @Nullable Double avgRating, @Schema(example = "1200") @Nullable Long inputTokens,
		@Schema(example = "3400") @Nullable Long outputTokens) {
}
