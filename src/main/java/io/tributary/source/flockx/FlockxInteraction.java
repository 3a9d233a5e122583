package io.tributary.source.flockx;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * What the mapper reads of an item of {@code GET /interactions}, decoded strictly, and
 * the page envelope around it. Everything else ({@code nested_interactions},
 * {@code reactions}, {@code agent_read_receipts}, …) is left out: it stays in the item's
 * JSON, which the mapper stores as raw and builds attributes from, so a value of an
 * unexpected type there never fails decoding. {@code metadata} is free-form: a tree.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record FlockxInteraction(String id, @JsonProperty("created_at") String createdAt,
		@JsonProperty("channel_id") String channelId, Participant participant, List<Content> content,
		@JsonProperty("content_role") String contentRole, Boolean complete, JsonNode metadata,
		@JsonProperty("organization_id") String organizationId) {

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Participant(String type, @JsonProperty("user_id") String userId) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Content(String type, String text) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Envelope(List<JsonNode> items, Meta meta) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Meta(Long total, @JsonProperty("has_next") Boolean hasNext,
			@JsonProperty("has_previous") Boolean hasPrevious, Integer page) {
	}

}
