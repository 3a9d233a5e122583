package io.tributary.source.greenflash;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.Secrets;
import io.tributary.source.Texts;
import io.tributary.source.greenflash.GreenflashInteraction.GreenflashMessage;
import tools.jackson.databind.JsonNode;

/**
 * Greenflash JSON to the unified model. Roles map to user / assistant / system / tool;
 * tool calls and observations keep their kind in the message type.
 */
final class GreenflashMapper {

	private static final Map<String, Message> ROLES = Map.of("user", new Message("user", "text", null), "assistant",
			new Message("assistant", "text", null), "system", new Message("system", "text", null), "tool_call",
			new Message("assistant", "tool_use", null), "observation", new Message("tool", "tool_result", null),
			"final_response", new Message("assistant", "text", null));

	private GreenflashMapper() {
	}

	/**
	 * @param connection the connection's name
	 * @param item the list item or, when messages were fetched, the detail
	 * @param node the same as JSON, stored as raw
	 * @return the unified interaction
	 */
	static NormalizedInteraction map(String connection, GreenflashInteraction item, JsonNode node) {
		List<Message> messages = messages(item.messages());
		return NormalizedInteraction.builder(GreenflashConnector.KIND.name(), connection, item.id())
			.participant(item.participantId(), item.externalParticipantId(), "user")
			.organization(item.organizationId(), item.organizationExternalId())
			.productId(item.productId())
			.versionId(item.versionId())
			.model(item.model())
			.status(InteractionStatus.COMPLETED)
			.messages(messages)
			.text(join(messages, "user"), join(messages, "assistant"))
			.rating(item.rating(), item.ratingMin(), item.ratingMax())
			.feedback(item.feedback())
			.timestamps(item.createdAt(), item.updatedAt())
			.attributes(Secrets.redact(item.properties()))
			.raw(Secrets.redact(node))
			.build();
	}

	private static List<Message> messages(List<GreenflashMessage> messages) {
		List<Message> result = new ArrayList<>();
		if (messages != null) {
			for (GreenflashMessage message : messages) {
				Message kind = ROLES.getOrDefault(message.role(), new Message(message.role(), "text", null));
				result.add(new Message(kind.role(), kind.type(), text(message.content())));
			}
		}
		return result;
	}

	private static String text(JsonNode content) {
		if (content == null || content.isNull()) {
			return null;
		}
		return content.isString() ? content.asString() : content.toString();
	}

	private static String join(List<Message> messages, String role) {
		return Texts
			.join(messages.stream().filter((m) -> role.equals(m.role()) && "text".equals(m.type())).map(Message::text));
	}

}
