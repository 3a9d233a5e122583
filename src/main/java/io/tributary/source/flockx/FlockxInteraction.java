package io.tributary.source.flockx;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * An item of {@code GET /interactions}, field for field, and the page envelope around it.
 */
record FlockxInteraction(String id, @JsonProperty("created_at") String createdAt,
		@JsonProperty("channel_id") String channelId, Participant participant, List<Content> content,
		@JsonProperty("content_role") String contentRole, Boolean complete, JsonNode metadata,
		@JsonProperty("nested_interactions") List<JsonNode> nestedInteractions,
		@JsonProperty("interaction_id") String interactionId, @JsonProperty("span_id") String spanId,
		@JsonProperty("parent_span_id") String parentSpanId, @JsonProperty("organization_id") String organizationId,
		@JsonProperty("organization_application") String organizationApplication, List<Reaction> reactions,
		@JsonProperty("agent_read_receipts") List<ReadReceipt> agentReadReceipts) {

	record Participant(String type, @JsonProperty("user_id") String userId) {
	}

	record Content(String type, String text) {
	}

	record Reaction(@JsonProperty("interaction_id") String interactionId, String emoji, Integer count,
			@JsonProperty("reacted_by_me") Boolean reactedByMe) {
	}

	record ReadReceipt(String id, @JsonProperty("message_event_id") String messageEventId,
			@JsonProperty("interaction_id") String interactionId, @JsonProperty("agent_id") String agentId,
			@JsonProperty("read_at") String readAt) {
	}

	record Envelope(List<JsonNode> items, Meta meta) {
	}

	record Meta(Long total, @JsonProperty("has_next") Boolean hasNext,
			@JsonProperty("has_previous") Boolean hasPrevious, Integer page) {
	}

}
