package io.tributary.source.flockx;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tributary.hygiene.Secrets;
import io.tributary.hygiene.Texts;
import io.tributary.hygiene.Timestamps;
import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.UpstreamJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flockx JSON to the unified model. A Flockx item is one message event:
 * {@code content_role} says whose, so its text is the input (user) or the output (agent).
 * {@code channel_id} is the thread; the turn ({@code interaction_id}), the span tree,
 * {@code content_role}, {@code complete}, the application, reactions, read receipts and
 * metadata are kept as attributes, as given, read from the redacted item. An item is in
 * progress when {@code complete} is {@code false}, completed otherwise (also when
 * {@code complete} is absent). A {@code created_at} without zone is taken in the
 * connection's {@code time-zone} (UTC by default) and flagged
 * ({@value Timestamps#WITHOUT_ZONE}); one that is no time (or an epoch number that is no
 * plausible time) is refused, naming the field.
 */
final class FlockxMapper {

	private FlockxMapper() {
	}

	static NormalizedInteraction map(String connection, String configuredAgentId, FlockxInteraction item,
			JsonNode node) {
		return map(connection, configuredAgentId, item, node, Map.of());
	}

	/**
	 * @param reactionScores what each emoji reaction is worth (see
	 * {@link FlockxSettings#reactionScores}); empty: reactions give no rating
	 */
	static NormalizedInteraction map(String connection, String configuredAgentId, FlockxInteraction item, JsonNode node,
			Map<String, BigDecimal> reactionScores) {
		return map(connection, configuredAgentId, item, node, reactionScores, ZoneOffset.UTC);
	}

	/**
	 * @param reactionScores what each emoji reaction is worth (see
	 * {@link FlockxSettings#reactionScores}); empty: reactions give no rating
	 * @param zone the zone of a {@code created_at} that names none (the connection's
	 * {@code time-zone})
	 */
	static NormalizedInteraction map(String connection, String configuredAgentId, FlockxInteraction item, JsonNode node,
			Map<String, BigDecimal> reactionScores, ZoneId zone) {
		JsonNode redacted = Secrets.redact(node);
		String role = role(item.contentRole());
		List<Message> messages = new ArrayList<>();
		if (item.content() != null) {
			for (FlockxInteraction.Content block : item.content()) {
				if (block != null) {
					messages.add(new Message(role, (block.type() != null) ? block.type() : "text", block.text()));
				}
			}
		}
		String textOrNull = Texts.join(messages.stream().filter((m) -> "text".equals(m.type())).map(Message::text));
		JsonNode metadata = (item.metadata() != null) ? item.metadata() : JsonNodeFactory.instance.objectNode();
		var participant = item.participant();
		Timestamps.Parsed created = Timestamps.field("created_at", item.createdAt(), zone);
		UpstreamJson.requireIdentity(created != null);
		Instant createdAt = created.instant();
		NormalizedInteraction mapped = NormalizedInteraction.builder(FlockxConnector.KIND.name(), connection, item.id())
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
			.attributes(attributes(redacted, created.withoutZone()))
			.raw(redacted)
			.build();
		BigDecimal[] rating = reactionRating(redacted.path("reactions"), reactionScores);
		return (rating == null) ? mapped : mapped.withRating(rating[0], rating[1], rating[2], "reactions");
	}

	/**
	 * The count-weighted average score of the scored emojis among the reactions, on the
	 * scale of the scores; null when none of them is scored.
	 * @return value, min and max; or null
	 */
	static BigDecimal[] reactionRating(JsonNode reactions, Map<String, BigDecimal> scores) {
		if (scores.isEmpty() || !reactions.isArray()) {
			return null;
		}
		BigDecimal total = BigDecimal.ZERO;
		long count = 0;
		for (JsonNode reaction : reactions) {
			BigDecimal score = scores.get(reaction.path("emoji").asString(""));
			long times = reaction.path("count").isIntegralNumber() ? reaction.path("count").asLong() : 1;
			if (score != null && times > 0) {
				total = total.add(score.multiply(BigDecimal.valueOf(times)));
				count += times;
			}
		}
		if (count == 0) {
			return null;
		}
		BigDecimal min = scores.values().stream().min(BigDecimal::compareTo).orElseThrow();
		BigDecimal max = scores.values().stream().max(BigDecimal::compareTo).orElseThrow();
		return new BigDecimal[] { total.divide(BigDecimal.valueOf(count), java.math.MathContext.DECIMAL64), min, max };
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

	/**
	 * Built from the redacted item only.
	 */
	private static JsonNode attributes(JsonNode redacted, boolean withoutZone) {
		ObjectNode attributes = JsonNodeFactory.instance.objectNode();
		attributes.set("interactionId", redacted.get("interaction_id"));
		attributes.set("spanId", redacted.get("span_id"));
		attributes.set("parentSpanId", redacted.get("parent_span_id"));
		attributes.set("contentRole", redacted.get("content_role"));
		attributes.set("complete", redacted.get("complete"));
		attributes.set("organizationApplication", redacted.get("organization_application"));
		attributes.set("reactions", redacted.get("reactions"));
		attributes.set("agentReadReceipts", redacted.get("agent_read_receipts"));
		attributes.set("metadata", redacted.get("metadata"));
		if (withoutZone) {
			attributes.put(Timestamps.WITHOUT_ZONE, true);
		}
		return attributes;
	}

}
