package io.tributary.source.greenflash;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tributary.hygiene.Secrets;
import io.tributary.source.UpstreamJson;
import io.tributary.hygiene.Texts;
import io.tributary.hygiene.Timestamps;
import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.greenflash.GreenflashInteraction.GreenflashMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Greenflash JSON to the unified model. Roles map to user / assistant / system / tool;
 * tool calls and observations keep their kind in the message type; a role that is missing
 * or unknown is kept as given (null stays null). The answer ({@code output_text}) is the
 * last {@code final_response} when there is one (agents repeat their answer there), else
 * the assistant's text messages joined. The attributes are the interaction's
 * {@code properties} (redacted; a non-object value is kept under {@code properties}),
 * plus {@code messageTimestamps}: each message's time, aligned with {@code messages}
 * (ISO-8601 UTC; as given when unreadable; null when absent), and
 * {@value Timestamps#WITHOUT_ZONE} when a time had no zone. Those two names win over
 * properties of the same name.
 */
final class GreenflashMapper {

	static final String MESSAGE_TIMESTAMPS = "messageTimestamps";

	private static final String FINAL_RESPONSE = "final_response";

	private static final Map<String, Message> ROLES = Map.of("user", new Message("user", "text", null), "assistant",
			new Message("assistant", "text", null), "system", new Message("system", "text", null), "tool_call",
			new Message("assistant", "tool_use", null), "observation", new Message("tool", "tool_result", null),
			FINAL_RESPONSE, new Message("assistant", "text", null));

	private GreenflashMapper() {
	}

	/**
	 * @param connection the connection's name
	 * @param item the list item or, when messages were fetched, the detail
	 * @param node the same as JSON, stored as raw (redacted)
	 * @return the unified interaction
	 */
	static NormalizedInteraction map(String connection, GreenflashInteraction item, JsonNode node) {
		JsonNode redacted = Secrets.redact(node);
		List<GreenflashMessage> listed = (item.messages() != null) ? item.messages() : List.of();
		List<Message> messages = new ArrayList<>(listed.size());
		ArrayNode timestamps = JsonNodeFactory.instance.arrayNode(listed.size());
		boolean withoutZone = withoutZone(node.get("createdAt")) || withoutZone(node.get("updatedAt"));
		String finalResponse = null;
		for (GreenflashMessage message : listed) {
			Message mapped = message(message);
			messages.add(mapped);
			if (FINAL_RESPONSE.equals(role(message)) && mapped.text() != null && !mapped.text().isBlank()) {
				finalResponse = mapped.text();
			}
			Timestamps.Parsed time = time(message.timestamp());
			withoutZone |= time != null && time.withoutZone();
			timestamps.add((time != null) ? JsonNodeFactory.instance.stringNode(time.instant().toString())
					: asGiven(message.timestamp()));
		}
		return NormalizedInteraction.builder(GreenflashConnector.KIND.name(), connection, item.id())
			.participant(item.participantId(), item.externalParticipantId(), "user")
			.organization(item.organizationId(), item.organizationExternalId())
			.productId(item.productId())
			.versionId(item.versionId())
			.model(item.model())
			.status(InteractionStatus.COMPLETED)
			.messages(messages)
			.text(join(messages, "user"), (finalResponse != null) ? finalResponse : join(messages, "assistant"))
			.rating(item.rating(), item.ratingMin(), item.ratingMax())
			.feedback(item.feedback())
			.timestamps(item.createdAt(), item.updatedAt())
			.attributes(attributes(redacted, listed.isEmpty() ? null : timestamps, withoutZone))
			.raw(redacted)
			.build();
	}

	private static Message message(GreenflashMessage message) {
		String role = role(message);
		String text = text(message.content());
		Message kind = (role != null) ? ROLES.get(role) : null;
		if (kind == null) {
			return new Message(message.role(), "text", text);
		}
		return new Message(kind.role(), kind.type(), text);
	}

	private static String role(GreenflashMessage message) {
		return (message.role() != null) ? message.role().toLowerCase(Locale.ROOT) : null;
	}

	/** The message's time; null when absent or unreadable (then kept as given). */
	private static Timestamps.Parsed time(JsonNode timestamp) {
		try {
			return Timestamps.read(timestamp);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static JsonNode asGiven(JsonNode timestamp) {
		return (timestamp == null || timestamp.isMissingNode()) ? JsonNodeFactory.instance.nullNode()
				: Secrets.redact(timestamp);
	}

	private static boolean withoutZone(JsonNode timestamp) {
		Timestamps.Parsed parsed = time(timestamp);
		return parsed != null && parsed.withoutZone();
	}

	private static String text(JsonNode content) {
		if (content == null || content.isNull() || content.isMissingNode()) {
			return null;
		}
		// a structured value (a tool call) is shown as JSON, its secrets redacted
		return content.isString() ? content.asString() : UpstreamJson.text(Secrets.redact(content));
	}

	private static String join(List<Message> messages, String role) {
		return Texts.join(messages.stream()
			.filter((m) -> role.equals(m.role()) && "text".equals(m.type()) && m.text() != null && !m.text().isBlank())
			.map(Message::text));
	}

	/**
	 * Built from the redacted item only.
	 */
	private static JsonNode attributes(JsonNode redacted, JsonNode messageTimestamps, boolean withoutZone) {
		ObjectNode attributes = JsonNodeFactory.instance.objectNode();
		JsonNode properties = redacted.path("properties");
		if (properties.isObject()) {
			attributes.setAll((ObjectNode) properties);
		}
		else if (!properties.isMissingNode() && !properties.isNull()) {
			attributes.set("properties", properties);
		}
		if (messageTimestamps != null) {
			attributes.set(MESSAGE_TIMESTAMPS, messageTimestamps);
		}
		if (withoutZone) {
			attributes.put(Timestamps.WITHOUT_ZONE, true);
		}
		return attributes;
	}

}
