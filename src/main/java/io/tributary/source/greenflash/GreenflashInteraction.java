package io.tributary.source.greenflash;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tributary.hygiene.Timestamps;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * What the mapper and the connector read of an item of {@code GET /interactions}, or of
 * {@code GET /interactions/{id}} (which adds {@code participant} and {@code messages}),
 * decoded strictly. Everything else ({@code externalId}, {@code participant},
 * {@code properties}, …) is left out: it stays in the JSON tree the mapper gets with the
 * item, so a value of an unexpected type there never fails decoding. The times are read
 * by {@link Timestamps}: ISO-8601 with or without offset, with a space or a {@code T}, or
 * an epoch number.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record GreenflashInteraction(String id, String participantId, String externalParticipantId, String organizationId,
		String organizationExternalId, String productId, String versionId, String model, BigDecimal rating,
		BigDecimal ratingMin, BigDecimal ratingMax, String feedback,
		@JsonDeserialize(using = AnyTimestamp.class) Instant createdAt,
		@JsonDeserialize(using = AnyTimestamp.class) Instant updatedAt, List<GreenflashMessage> messages) {

	/**
	 * @param role user, assistant, system, tool_call, observation or final_response; any
	 * other value, or none, is kept as given
	 * @param content the text (or, for tool calls, a structured value)
	 * @param timestamp when it was said (not required, read leniently by the mapper)
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record GreenflashMessage(String role, JsonNode content, JsonNode timestamp) {
	}

	/**
	 * Reads an instant the way {@link Timestamps#read(JsonNode)} does; a refusal names
	 * the field.
	 */
	static final class AnyTimestamp extends ValueDeserializer<Instant> {

		@Override
		public Instant deserialize(JsonParser parser, DeserializationContext context) {
			String field = parser.currentName();
			Timestamps.Parsed parsed = Timestamps.field((field != null) ? field : "timestamp", context.readTree(parser),
					java.time.ZoneOffset.UTC);
			return (parsed != null) ? parsed.instant() : null;
		}

	}

}
