package io.tributary.source.zylon;

import java.math.BigDecimal;
import java.time.Instant;

import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ZylonMapperTests {

	private static final String PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8";

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void blocksWithoutTypeAreTextOnlyWhenTheirMediaTypeIsTextOrAbsent() {
		NormalizedInteraction item = map(
				"""
						{"id": "z1", "created_at": "2026-11-20T10:00:05Z", "state": "Completed",
						 "user_input": {"role": "user", "content": [
						   {"data": "Question", "mime_type": "text/plain"},
						   {"data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB", "mime_type": "image/png", "filename": "chart.png"},
						   {"data": "SUQzBAAAAAAAI1RTU0UAAAAPAAADTGF2", "mime_type": "audio/mpeg"},
						   {"data": "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoK", "mime_type": "application/pdf", "filename": "a.pdf"},
						   {"data": "{\\"a\\": 1}", "mime_type": "application/json"},
						   {"data": "%s"},
						   {"data": "and more", "mime_type": "text/markdown; charset=utf-8"},
						   {"data": "no media type"}]},
						 "assistant_output": {"content": [
						   {"data": "Answer", "mime_type": null},
						   {"data": "UklGRiQAAABXQVZFZm10IBAAAAABAAEA", "mime_type": "audio/wav", "filename": "reply.wav"}]}}
						"""
					.formatted(PNG));

		assertThat(item.inputText()).isEqualTo("Question\n\nand more\n\nno media type");
		assertThat(item.outputText()).isEqualTo("Answer");
		assertThat(item.messages()).containsExactly(new Message("user", "text", "Question"),
				new Message("user", "image", "chart.png"), new Message("user", "audio", "audio/mpeg"),
				new Message("user", "file", "a.pdf"), new Message("user", "file", "application/json"),
				new Message("user", "image", "image/png"), new Message("user", "text", "and more"),
				new Message("user", "text", "no media type"), new Message("assistant", "text", "Answer"),
				new Message("assistant", "audio", "reply.wav"));
		assertThat(item.messages()).extracting(Message::text)
			.noneMatch((text) -> text.startsWith("iVBOR") || text.startsWith("SUQz") || text.startsWith("JVBER")
					|| text.startsWith("UklGR") || text.startsWith("data:"));
	}

	@Test
	void typedBlocksKeepTheirTypeAndBinaryDataNeverBecomesText() {
		NormalizedInteraction item = map("""
				{"id": "z1", "created_at": "2026-11-20T10:00:05Z", "state": "Completed",
				 "user_input": {"role": "user", "content": [{"type": "text", "data": "%s"}]},
				 "assistant_output": {"content": [
				   {"type": "thinking", "data": "hmm", "mime_type": "text/plain"},
				   {"type": "tool_use", "data": {"name": "search", "input": {"api_key": "k-SECRET"}},
				    "mime_type": "application/json"},
				   {"type": "text", "data": "iVBORw0KGgo", "mime_type": "image/png"},
				   {"type": "image", "data": "iVBORw0KGgo", "mime_type": "image/png"},
				   {"type": "video", "data": "AAAAIGZ0eXBpc29t", "filename": "clip.mp4"},
				   {"type": "text", "data": "Answer"}]}}
				""".formatted(PNG));

		assertThat(item.inputText()).isNull();
		assertThat(item.outputText()).isEqualTo("Answer");
		assertThat(item.messages()).containsExactly(new Message("user", "text", "image/png"),
				new Message("assistant", "thinking", "hmm"),
				new Message("assistant", "tool_use", "{\"name\":\"search\",\"input\":{\"api_key\":\"[redacted]\"}}"),
				new Message("assistant", "text", "image/png"), new Message("assistant", "image", "image/png"),
				new Message("assistant", "video", "clip.mp4"), new Message("assistant", "text", "Answer"));
	}

	@Test
	void readsTheAnswerTimeInSecondsMillisecondsOrIso() {
		String item = """
				{"id": "z1", "created_at": "2025-11-20T10:00:00Z", "state": "Completed",
				 "assistant_output": {"created": %s, "content": [{"data": "A"}]}}
				""";

		assertThat(map(item.formatted("1763632808")).updatedAt()).isEqualTo(Instant.parse("2025-11-20T10:00:08Z"));
		assertThat(map(item.formatted("1763632808123")).updatedAt())
			.isEqualTo(Instant.parse("2025-11-20T10:00:08.123Z"));
		assertThat(map(item.formatted("\"2025-11-20 10:00:09+00:00\"")).updatedAt())
			.isEqualTo(Instant.parse("2025-11-20T10:00:09Z"));
		assertThat(map(item.formatted("null")).updatedAt()).isEqualTo(Instant.parse("2025-11-20T10:00:00Z"));
	}

	@Test
	void readsSpaceSeparatedCreationTimesAndFlagsZoneLessOnes() {
		NormalizedInteraction spaced = map("""
				{"id": "z1", "created_at": "2023-11-07 05:31:56+00:00", "state": "Processing"}
				""");
		NormalizedInteraction zoneLess = map("""
				{"id": "z2", "created_at": "2023-11-07 05:31:56.123456", "state": "Processing"}
				""");

		assertThat(spaced.createdAt()).isEqualTo(Instant.parse("2023-11-07T05:31:56Z"));
		assertThat(spaced.attributes().has("timestampsWithoutZone")).isFalse();
		assertThat(zoneLess.createdAt()).isEqualTo(Instant.parse("2023-11-07T05:31:56.123456Z"));
		assertThat(zoneLess.attributes().get("timestampsWithoutZone").asBoolean()).isTrue();
	}

	@ParameterizedTest
	@CsvSource(nullValues = "-",
			value = { "Completed, end_turn, true, -, COMPLETED", "Completed, cancelled, true, -, ERROR",
					"Completed, error, true, -, ERROR", "Processing, cancelled, false, -, ERROR",
					"Error, -, false, -, ERROR", "Error, stop, true, -, ERROR", "Processing, -, false, -, IN_PROGRESS",
					"Processing, stop, true, -, IN_PROGRESS", "Archived, tool_use, true, -, COMPLETED",
					"Archived, -, false, -, IN_PROGRESS", "Archived, max_tokens, false, boom, ERROR",
					"-, -, true, -, COMPLETED", "-, -, false, -, IN_PROGRESS" })
	void statusFollowsStateStopReasonAndTheAnswer(String state, String stopReason, boolean answered, String error,
			InteractionStatus expected) {
		String output = (stopReason == null && !answered && error == null) ? "null" : """
				{"stop_reason": %s, "content": %s, "errors": %s}
				""".formatted(quoted(stopReason), answered ? "[{\"data\": \"A\"}]" : "[]",
				(error != null) ? "[{\"type\": \"x\", \"message\": \"" + error + "\"}]" : "[]");

		NormalizedInteraction item = map("""
				{"id": "z1", "created_at": "2026-11-20T10:00:05Z", "state": %s, "assistant_output": %s}
				""".formatted(quoted(state), output));

		assertThat(item.status()).isEqualTo(expected);
		assertThat(item.attributes().get("state").isNull()).isEqualTo(state == null);
		if (state != null) {
			assertThat(item.attributes().get("state").asString()).as("kept as given").isEqualTo(state);
		}
		if (stopReason != null) {
			assertThat(item.attributes().get("stopReason").asString()).as("kept as given").isEqualTo(stopReason);
		}
	}

	@Test
	void attributesComeFromTheRedactedItem() {
		NormalizedInteraction item = map("""
				{"id": "z1", "created_at": "2026-11-20T10:00:05Z", "state": "Error",
				 "assistant_output": {"stop_reason": "error", "content": [],
				   "errors": [{"type": "upstream", "message": "GET https://llm.example.com/v1?api_key=k-SECRET failed",
				               "authorization": "Bearer b-SECRET"}]},
				 "artifact_ids": ["art-1"], "pgpt": {"correlation_id": "corr-1",
				   "mcp_servers": [{"authorization_token": "mcp-SECRET"}]}}
				""");

		assertThat(item.attributes().at("/errors/0/message").asString())
			.isEqualTo("GET https://llm.example.com/v1?[redacted] failed");
		assertThat(item.attributes().at("/errors/0/authorization").asString()).isEqualTo("[redacted]");
		assertThat(item.attributes().at("/artifactIds/0").asString()).isEqualTo("art-1");
		assertThat(item.attributes().get("correlationId").asString()).isEqualTo("corr-1");
		assertThat(item.attributes().toString()).doesNotContain("SECRET");
		assertThat(item.raw().toString()).doesNotContain("SECRET");
	}

	@Test
	void unreadFieldsOfAnUnexpectedTypeDoNotFailDecoding() {
		NormalizedInteraction item = map("""
				{"id": "z1", "project_id": "p1", "created_at": "2026-11-20T10:00:05Z", "state": "Completed",
				 "artifact_ids": "art-1", "all_artifacts": "yes",
				 "created_by": {"id": "u1", "roles": "AppGuest", "state": 3, "created_at": {}},
				 "user_input": {"role": "user", "_meta": "m", "content": [
				   {"data": "Q", "start_timestamp": 5, "stop_timestamp": [], "_meta": "x"}]},
				 "assistant_output": {"id": 7, "content": [{"data": "A"}], "errors": "none",
				   "usage": {"input_tokens": 3, "output_tokens": 4, "cached": "lots"}},
				 "pgpt": {"temperature": "hot", "top_p": [0.9], "tools": {}, "mcp_servers": "none",
				   "messages": 42, "stream": "sometimes", "max_tokens": "many"}}
				""");

		assertThat(item.sourceId()).isEqualTo("z1");
		assertThat(item.participantId()).isEqualTo("u1");
		assertThat(item.inputText()).isEqualTo("Q");
		assertThat(item.outputText()).isEqualTo("A");
		assertThat(item.outputTokens()).isEqualTo(4);
		assertThat(item.status()).isEqualTo(InteractionStatus.COMPLETED);
		assertThat(item.raw().at("/pgpt/temperature").asString()).isEqualTo("hot");
	}

	@Test
	void rawIsTheOriginalTreeWithItsExactNumbers() {
		JsonMapper decimals = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
		JsonNode node = decimals.readTree("""
				{"id": "z1", "created_at": "2026-11-20T10:00:05Z", "state": "Completed",
				 "pgpt": {"temperature": 0.70000000000000000001, "top_p": 0.90, "seed": 123456789012345678901234567890}}
				""");

		NormalizedInteraction item = ZylonMapper.map("zy", decimals.treeToValue(node, ZylonInteraction.class), node);

		assertThat(item.raw().at("/pgpt/temperature").decimalValue())
			.isEqualTo(new BigDecimal("0.70000000000000000001"));
		assertThat(item.raw().at("/pgpt/top_p").decimalValue()).isEqualTo(new BigDecimal("0.90"));
		assertThat(item.raw().at("/pgpt/seed").bigIntegerValue()).hasToString("123456789012345678901234567890");
	}

	private static String quoted(String value) {
		return (value != null) ? "\"" + value + "\"" : "null";
	}

	private NormalizedInteraction map(String text) {
		JsonNode node = this.json.readTree(text);
		return ZylonMapper.map("zy", this.json.treeToValue(node, ZylonInteraction.class), node);
	}

}
