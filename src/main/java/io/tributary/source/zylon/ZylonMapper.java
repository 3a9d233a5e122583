package io.tributary.source.zylon;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tributary.hygiene.Secrets;
import io.tributary.hygiene.Texts;
import io.tributary.hygiene.Timestamps;
import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.UpstreamJson;
import io.tributary.source.zylon.ZylonInteraction.AssistantOutput;
import io.tributary.source.zylon.ZylonInteraction.ContentBlock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Zylon JSON to the unified model: user input and assistant output content blocks become
 * messages, {@code usage} the tokens, {@code state} and {@code stop_reason} the status,
 * {@code created_by} the participant; {@code state}, {@code stop_reason}, errors,
 * artifacts and the correlation id are kept as attributes, as given, read from the
 * redacted item.
 * <p>
 * A content block is text when its type is a textual one ({@code text}, {@code thinking},
 * {@code tldr}, {@code tool_use}, {@code tool_result}, {@code source}) and neither its
 * {@code mime_type} nor its data (a base64 {@code data:} URI) says it is binary; a block
 * without {@code type} (as in the vendor's example) is text only when its
 * {@code mime_type} is absent or {@code text/*}, and is otherwise an {@code image},
 * {@code audio} or {@code file} block by its media type. Only {@code text} blocks make
 * {@code input_text} / {@code output_text}; the message of a block that is not text says
 * what it is (its file name, else its media type, else its type), never its data.
 * <p>
 * Status: {@code stop_reason} {@code error} or {@code cancelled} is an error whatever the
 * state; then state {@code Completed} is completed, {@code Error} (or {@code Failed}) an
 * error, {@code Processing} (or {@code Pending}, {@code Queued}, {@code Running}) in
 * progress; any other state, or none, goes by the answer: errors listed → error, an
 * answer with content → completed, else in progress.
 * <p>
 * {@code assistant_output.created} (epoch seconds per the spec) is read like every
 * timestamp, by {@link Timestamps}: milliseconds are told from seconds by magnitude, and
 * a number that is no plausible time in either unit is refused, naming the field. A time
 * without zone is taken in the connection's {@code time-zone} (UTC by default) and
 * flagged ({@value Timestamps#WITHOUT_ZONE}).
 */
final class ZylonMapper {

	private static final Set<String> TEXT_TYPES = Set.of("text", "thinking", "tldr", "tool_use", "tool_result",
			"source");

	private static final Set<String> STRUCTURED_TEXT = Set.of("application/json", "application/xml", "application/yaml",
			"application/x-yaml", "application/javascript", "application/x-ndjson", "application/ndjson");

	private static final Pattern BASE64_DATA_URI = Pattern.compile("(?i)data:([^,;\\s]*)(?:;[^,;\\s]*)*;base64,");

	private ZylonMapper() {
	}

	static NormalizedInteraction map(String connection, ZylonInteraction item, JsonNode node) {
		return map(connection, item, node, ZylonSettings.FeedbackScale.DEFAULT, ZoneOffset.UTC);
	}

	/**
	 * @param connection the connection's name
	 * @param item the interaction
	 * @param node the same as JSON, stored as raw (redacted)
	 * @param scale the connection's scale of feedback ratings that state none
	 * @param zone the zone of a time that names none (the connection's {@code time-zone}:
	 * a self-hosted instance may write its local time)
	 * @return the unified interaction
	 */
	static NormalizedInteraction map(String connection, ZylonInteraction item, JsonNode node,
			ZylonSettings.FeedbackScale scale, ZoneId zone) {
		JsonNode redacted = Secrets.redact(node);
		Timestamps.Parsed created = Timestamps.field("created_at", item.createdAt(), zone);
		UpstreamJson.requireIdentity(created != null);
		AssistantOutput output = item.assistantOutput();
		Timestamps.Parsed answered = (output != null)
				? Timestamps.field("assistant_output.created", output.created(), zone) : null;
		Instant createdAt = created.instant();
		Instant answeredAt = (answered != null) ? answered.instant() : null;
		List<Message> messages = new ArrayList<>();
		String inputRole = (item.userInput() != null && item.userInput().role() != null) ? item.userInput().role()
				: "user";
		List<ContentBlock> input = (item.userInput() != null) ? item.userInput().content() : null;
		List<ContentBlock> answer = (output != null) ? output.content() : null;
		blocks(inputRole, input, messages);
		blocks("assistant", answer, messages);
		var user = item.createdBy();
		boolean withoutZone = created.withoutZone() || (answered != null && answered.withoutZone());
		NormalizedInteraction mapped = NormalizedInteraction.builder(ZylonConnector.KIND.name(), connection, item.id())
			.threadId(item.threadId())
			.participant((user != null) ? user.id() : null, (user != null) ? user.accountId() : null, "user")
			.organization((user != null) ? user.orgId() : null, null)
			.productId(item.projectId())
			.model((output != null) ? output.model() : null)
			.status(status(item))
			.messages(messages)
			.text(text(input), text(answer))
			.tokens((output != null && output.usage() != null) ? output.usage().inputTokens() : null,
					(output != null && output.usage() != null) ? output.usage().outputTokens() : null)
			.timestamps(createdAt, (answeredAt != null && answeredAt.isAfter(createdAt)) ? answeredAt : createdAt)
			.attributes(attributes(redacted, withoutZone))
			.raw(redacted)
			.build();
		ZylonFeedback.Found feedback = ZylonFeedback.read(redacted.get(FEEDBACK), scale);
		if (feedback.value() != null) {
			mapped = mapped.withRating(feedback.value(), feedback.min(), feedback.max(), "feedback");
		}
		return (feedback.text() != null) ? mapped.withFeedback(feedback.text()) : mapped;
	}

	/**
	 * Where the item keeps the answer of {@code /app/feedback/{id}} when the connection
	 * fetches it: in {@code raw}, so the stored item holds everything its mapping reads.
	 */
	static final String FEEDBACK = "_tributary_feedback";

	/** See the class description. */
	static InteractionStatus status(ZylonInteraction item) {
		AssistantOutput output = item.assistantOutput();
		String stopReason = lower((output != null) ? output.stopReason() : null);
		if (stopReason.equals("error") || stopReason.equals("cancelled") || stopReason.equals("canceled")) {
			return InteractionStatus.ERROR;
		}
		return switch (lower(item.state())) {
			case "completed" -> InteractionStatus.COMPLETED;
			case "error", "failed" -> InteractionStatus.ERROR;
			case "processing", "pending", "queued", "running" -> InteractionStatus.IN_PROGRESS;
			default -> byAnswer(output);
		};
	}

	private static InteractionStatus byAnswer(AssistantOutput output) {
		if (output == null) {
			return InteractionStatus.IN_PROGRESS;
		}
		if (output.errors() != null && output.errors().isArray() && !output.errors().isEmpty()) {
			return InteractionStatus.ERROR;
		}
		return (output.content() != null && !output.content().isEmpty()) ? InteractionStatus.COMPLETED
				: InteractionStatus.IN_PROGRESS;
	}

	private static String lower(String value) {
		return (value != null) ? value.strip().toLowerCase(Locale.ROOT) : "";
	}

	private static void blocks(String role, List<ContentBlock> content, List<Message> messages) {
		if (content != null) {
			for (ContentBlock block : content) {
				if (block != null) {
					String type = type(block);
					messages.add(new Message(role, type, isText(block, type) ? data(block) : describe(block, type)));
				}
			}
		}
	}

	/** The block's type; for a block without one, what its media type says. */
	static String type(ContentBlock block) {
		if (block.type() != null && !block.type().isBlank()) {
			return block.type();
		}
		String mime = mime(block);
		if (mime == null || mime.startsWith("text/")) {
			return "text";
		}
		if (mime.startsWith("image/")) {
			return "image";
		}
		if (mime.startsWith("audio/")) {
			return "audio";
		}
		return "file";
	}

	/** See the class description. */
	static boolean isText(ContentBlock block, String type) {
		if (!TEXT_TYPES.contains(type) || dataUriMime(block) != null) {
			return false;
		}
		String mime = mime(block);
		if (mime == null || mime.startsWith("text/")) {
			return true;
		}
		boolean typed = block.type() != null && !block.type().isBlank();
		return typed && (STRUCTURED_TEXT.contains(mime) || mime.endsWith("+json") || mime.endsWith("+xml"));
	}

	/**
	 * The declared media type, else a base64 data URI's, lower case, without parameters.
	 */
	private static String mime(ContentBlock block) {
		String mime = block.mimeType();
		if (mime == null || mime.isBlank()) {
			mime = dataUriMime(block);
		}
		if (mime == null || mime.isBlank()) {
			return null;
		}
		int parameters = mime.indexOf(';');
		mime = ((parameters >= 0) ? mime.substring(0, parameters) : mime).strip().toLowerCase(Locale.ROOT);
		return mime.isEmpty() ? null : mime;
	}

	/**
	 * The media type of data sent as a base64 {@code data:} URI ("" when it names none).
	 */
	private static String dataUriMime(ContentBlock block) {
		if (block.data() == null || !block.data().isString()) {
			return null;
		}
		Matcher uri = BASE64_DATA_URI.matcher(block.data().asString());
		return uri.lookingAt() ? uri.group(1) : null;
	}

	private static String data(ContentBlock block) {
		JsonNode data = block.data();
		if (data == null || data.isNull() || data.isMissingNode()) {
			return null;
		}
		// a structured value (a tool call's input) is shown as JSON, its secrets redacted
		return data.isString() ? data.asString() : UpstreamJson.text(Secrets.redact(data));
	}

	private static String describe(ContentBlock block, String type) {
		if (block.filename() != null && !block.filename().isBlank()) {
			return block.filename();
		}
		String mime = mime(block);
		return (mime != null) ? mime : type;
	}

	private static String text(List<ContentBlock> content) {
		if (content == null) {
			return null;
		}
		return Texts.join(content.stream()
			.filter((block) -> block != null && "text".equals(type(block)) && isText(block, "text"))
			.map(ZylonMapper::data));
	}

	/**
	 * Built from the redacted item only.
	 */
	private static JsonNode attributes(JsonNode redacted, boolean withoutZone) {
		ObjectNode attributes = JsonNodeFactory.instance.objectNode();
		JsonNode output = redacted.path("assistant_output");
		attributes.set("state", redacted.get("state"));
		attributes.set("stopReason", output.get("stop_reason"));
		attributes.set("errors", output.get("errors"));
		attributes.set("artifactIds", redacted.get("artifact_ids"));
		JsonNode correlationId = redacted.path("pgpt").path("correlation_id");
		if (!correlationId.isMissingNode() && !correlationId.isNull()) {
			attributes.set("correlationId", correlationId);
		}
		if (withoutZone) {
			attributes.put(Timestamps.WITHOUT_ZONE, true);
		}
		return attributes;
	}

}
