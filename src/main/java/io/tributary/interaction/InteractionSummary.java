package io.tributary.interaction;

import org.jspecify.annotations.Nullable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * An interaction as listed: every summary field, without {@code messages} and
 * {@code raw}. Nulls are kept so every field is always present.
 */
@Schema(description = "An interaction as listed (no messages, no raw)")
public record InteractionSummary(@Schema(description = "Gateway id; never changes across re-syncs") UUID id,
		@Schema(description = "Source kind", example = "zylon") String source,
		@Schema(example = "zylon-prod") String connection,
		@Schema(description = "The upstream's id", example = "3c90c3cc-0d44-4b50-8888-8dd25736052a") String sourceId,
		@Nullable String threadId, Participant participant, Organization organization, @Nullable String productId,
		@Nullable String versionId, @Schema(example = "gpt-4o") @Nullable String model, InteractionStatus status,
		@Nullable String inputText, @Nullable String outputText, Usage usage, Rating rating, @Nullable String feedback,
		Instant createdAt,
		@Schema(description = "Last change upstream; createdAt where the upstream does not say") Instant updatedAt,
		@Schema(description = "When the gateway first stored it") Instant firstSeenAt,
		@Schema(description = "When a sync last wrote a change to it") Instant lastSyncedAt,
		@Schema(type = "object", implementation = Object.class,
				description = "Upstream properties and metadata") JsonNode attributes,
		@Schema(description = "When the gateway found it deleted upstream; null while it exists (deleted interactions are listed only with includeDeleted=true)") @Nullable Instant deletedAt,
		@Schema(description = "true when text search covers only the start of this interaction's texts: inputText and outputText are searched up to their first 100 000 characters, feedback up to its first 20 000 (q finds no word past that). The texts themselves are stored and returned whole.") boolean searchTruncated) {

	/**
	 * The user (or agent) on the asking side.
	 *
	 * @param id upstream id
	 * @param externalId the customer's own id
	 * @param type user, agent, …
	 */
	public record Participant(@Nullable String id, @Nullable String externalId,
			@Schema(example = "user") @Nullable String type) {
	}

	/**
	 * The organization the participant belongs to.
	 *
	 * @param id upstream id
	 * @param externalId the customer's own id
	 */
	public record Organization(@Nullable String id, @Nullable String externalId) {
	}

	/**
	 * Tokens used.
	 *
	 * @param inputTokens prompt tokens
	 * @param outputTokens completion tokens
	 */
	public record Usage(@Schema(example = "120") @Nullable Long inputTokens,
			@Schema(example = "348") @Nullable Long outputTokens) {
	}

	/**
	 * The user's rating on the upstream's scale and mapped to 0..1.
	 *
	 * @param value rating as given
	 * @param min lowest value of the scale
	 * @param max highest value of the scale
	 * @param normalized {@code (value - min) / (max - min)}
	 */
	public record Rating(@Schema(example = "4") @Nullable BigDecimal value,
			@Schema(example = "1") @Nullable BigDecimal min, @Schema(example = "5") @Nullable BigDecimal max,
			@Schema(example = "0.75") @Nullable Double normalized,
			@Schema(description = "Where it came from: upstream (the upstream's own rating) or reactions (Flockx emoji reactions, scored by the connection's reaction-scores)",
					example = "upstream") @Nullable String source) {
	}

}
