package io.tributary.source.flockx;

import java.util.ArrayList;
import java.util.List;

import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.Secrets;
import io.tributary.source.Texts;
import io.tributary.source.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flockx JSON to the unified model. A Flockx item is one message event:
 * {@code content_role} says whose, so its text is the input (user) or the output (agent).
 * {@code channel_id} is the thread; the turn ({@code interaction_id}), the span tree,
 * reactions and read receipts are kept as attributes.
 */
final class FlockxMapper {

	private FlockxMapper() {
	}

	static NormalizedInteraction map(String connection, String configuredAgentId, FlockxInteraction item,
			JsonNode node) {
		String role = role(item.contentRole());
		List<Message> messages = new ArrayList<>();
		if (item.content() != null) {
			for (FlockxInteraction.Content block : item.content()) {
				messages.add(new Message(role, (block.type() != null) ? block.type() : "text", block.text()));
			}
		}
		String textOrNull = Texts.join(messages.stream().filter((m) -> "text".equals(m.type())).map(Message::text));
		JsonNode metadata = (item.metadata() != null) ? item.metadata() : JsonNodeFactory.instance.objectNode();
		var participant = item.participant();
		var createdAt = Timestamps.parse(item.createdAt());
		return NormalizedInteraction.builder(FlockxConnector.KIND.name(), connection, item.id())
			.threadId(item.channelId())
			.participant((participant != null) ? participant.userId() : null, null,
					(participant != null) ? participant.type() : null)
			.organization(item.organizationId(), null)
			.productId(string(metadata, "agent_id", configuredAgentId))
			.model(string(metadata, "model", null))
			.status(Boolean.FALSE.equals(item.complete()) ? InteractionStatus.IN_PROGRESS : InteractionStatus.COMPLETED)
			.messages(messages)
			.text("user".equals(role) ? textOrNull : null, "user".equals(role) ? null : textOrNull)
			.tokens(number(metadata, "input_tokens"), number(metadata, "output_tokens"))
			.timestamps(createdAt, createdAt)
			.attributes(attributes(item, node))
			.raw(Secrets.redact(node))
			.build();
	}

	/**
	 * {@code user_message} → user, {@code agent_message} / {@code assistant_message} →
	 * assistant.
	 */
	private static String role(String contentRole) {
		if (contentRole == null) {
			return "user";
		}
		String role = contentRole.toLowerCase().replace("_message", "");
		return switch (role) {
			case "agent", "assistant", "bot", "ai" -> "assistant";
			default -> role;
		};
	}

	private static String string(JsonNode metadata, String field, String fallback) {
		JsonNode value = metadata.path(field);
		return value.isString() && !value.asString().isBlank() ? value.asString() : fallback;
	}

	private static Long number(JsonNode metadata, String field) {
		JsonNode value = metadata.path(field).isNumber() ? metadata.path(field) : metadata.path("usage").path(field);
		return value.isNumber() ? value.asLong() : null;
	}

	private static JsonNode attributes(FlockxInteraction item, JsonNode node) {
		ObjectNode attributes = JsonNodeFactory.instance.objectNode();
		attributes.put("interactionId", item.interactionId());
		attributes.put("spanId", item.spanId());
		attributes.put("parentSpanId", item.parentSpanId());
		attributes.put("contentRole", item.contentRole());
		attributes.put("complete", item.complete());
		attributes.put("organizationApplication", item.organizationApplication());
		attributes.set("reactions", node.path("reactions").isMissingNode() ? null : node.get("reactions"));
		attributes.set("agentReadReceipts",
				node.path("agent_read_receipts").isMissingNode() ? null : node.get("agent_read_receipts"));
		attributes.set("metadata", Secrets.redact(node.path("metadata").isMissingNode() ? null : node.get("metadata")));
		return attributes;
	}

}
