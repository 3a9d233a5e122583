package io.tributary.source.zylon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.Secrets;
import io.tributary.source.Texts;
import io.tributary.source.Timestamps;
import io.tributary.source.zylon.ZylonInteraction.ContentBlock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Zylon JSON to the unified model: user input and assistant output content blocks become
 * messages (text blocks also {@code input_text} / {@code output_text}), {@code usage} the
 * tokens, {@code state} the status, {@code created_by} the participant;
 * {@code stop_reason}, errors and artifacts are kept as attributes.
 */
final class ZylonMapper {

	private ZylonMapper() {
	}

	static NormalizedInteraction map(String connection, ZylonInteraction item, JsonNode node) {
		Instant createdAt = Timestamps.parse(item.createdAt());
		var output = item.assistantOutput();
		Instant answeredAt = (output != null && output.created() != null) ? Instant.ofEpochSecond(output.created())
				: null;
		List<Message> messages = new ArrayList<>();
		String inputRole = (item.userInput() != null && item.userInput().role() != null) ? item.userInput().role()
				: "user";
		if (item.userInput() != null) {
			blocks(inputRole, item.userInput().content(), messages);
		}
		if (output != null) {
			blocks("assistant", output.content(), messages);
		}
		var user = item.createdBy();
		return NormalizedInteraction.builder(ZylonConnector.KIND.name(), connection, item.id())
			.threadId(item.threadId())
			.participant((user != null) ? user.id() : null, (user != null) ? user.accountId() : null, "user")
			.organization((user != null) ? user.orgId() : null, null)
			.productId(item.projectId())
			.model((output != null) ? output.model() : null)
			.status(status(item))
			.messages(messages)
			.text(text(item.userInput() != null ? item.userInput().content() : null),
					text((output != null) ? output.content() : null))
			.tokens((output != null && output.usage() != null) ? output.usage().inputTokens() : null,
					(output != null && output.usage() != null) ? output.usage().outputTokens() : null)
			.timestamps(createdAt, (answeredAt != null && answeredAt.isAfter(createdAt)) ? answeredAt : createdAt)
			.attributes(attributes(item, node))
			.raw(Secrets.redact(node))
			.build();
	}

	private static InteractionStatus status(ZylonInteraction item) {
		String state = (item.state() != null) ? item.state().toLowerCase() : "";
		return switch (state) {
			case "completed" -> InteractionStatus.COMPLETED;
			case "error", "failed" -> InteractionStatus.ERROR;
			case "processing", "pending", "queued", "running" -> InteractionStatus.IN_PROGRESS;
			default -> (item.assistantOutput() != null && item.assistantOutput().errors() != null
					&& !item.assistantOutput().errors().isEmpty()) ? InteractionStatus.ERROR
							: (item.assistantOutput() != null) ? InteractionStatus.COMPLETED
									: InteractionStatus.IN_PROGRESS;
		};
	}

	private static void blocks(String role, List<ContentBlock> content, List<Message> messages) {
		if (content != null) {
			for (ContentBlock block : content) {
				String type = (block.type() != null) ? block.type() : "text";
				messages.add(new Message(role, type, blockText(type, block)));
			}
		}
	}

	private static String blockText(String type, ContentBlock block) {
		return switch (type) {
			case "text", "thinking", "tldr", "tool_use", "tool_result", "source" -> block.data();
			default ->
				(block.filename() != null) ? block.filename() : (block.mimeType() != null) ? block.mimeType() : type;
		};
	}

	private static String text(List<ContentBlock> content) {
		if (content == null) {
			return null;
		}
		return Texts.join(content.stream()
			.filter((block) -> block.type() == null || "text".equals(block.type()))
			.map(ContentBlock::data));
	}

	private static JsonNode attributes(ZylonInteraction item, JsonNode node) {
		ObjectNode attributes = JsonNodeFactory.instance.objectNode();
		attributes.put("state", item.state());
		JsonNode output = node.path("assistant_output");
		attributes.set("stopReason", output.path("stop_reason").isMissingNode() ? null : output.get("stop_reason"));
		attributes.set("errors", output.path("errors").isMissingNode() ? null : output.get("errors"));
		attributes.set("artifactIds", node.path("artifact_ids").isMissingNode() ? null : node.get("artifact_ids"));
		if (item.pgpt() != null && item.pgpt().correlationId() != null) {
			attributes.put("correlationId", item.pgpt().correlationId());
		}
		return attributes;
	}

}
