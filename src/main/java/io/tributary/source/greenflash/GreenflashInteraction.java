package io.tributary.source.greenflash;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * An item of {@code GET /interactions}, field for field; {@code GET /interactions/{id}}
 * adds {@code participant} and {@code messages}.
 */
record GreenflashInteraction(String id, String externalId, String participantId, String externalParticipantId,
		String organizationId, String organizationExternalId, String productId, String versionId, String model,
		BigDecimal rating, BigDecimal ratingMin, BigDecimal ratingMax, String feedback, Instant createdAt,
		Instant updatedAt, JsonNode properties, Participant participant, List<GreenflashMessage> messages) {

	record Participant(String id, String email, String externalId, String name) {
	}

	/**
	 * @param role user, assistant, system, tool_call, observation or final_response
	 * @param content the text (or, for tool calls, a structured value)
	 * @param timestamp when it was said
	 */
	record GreenflashMessage(String role, JsonNode content, String timestamp) {
	}

}
