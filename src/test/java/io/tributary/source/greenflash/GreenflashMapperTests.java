package io.tributary.source.greenflash;

import java.math.BigDecimal;
import java.time.Instant;

import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class GreenflashMapperTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void keepsNullMissingAndUnknownRoles() {
		NormalizedInteraction item = map("""
				{"id": "g1", "createdAt": "2026-11-20T10:00:00Z", "messages": [
				  {"role": null, "content": "who said this?"},
				  {"content": "and this?"},
				  {"role": "critic", "content": "a review"},
				  {"role": "User", "content": "Hello"},
				  {"role": "assistant", "content": "Hi"}]}
				""");

		assertThat(item.messages()).containsExactly(new Message(null, "text", "who said this?"),
				new Message(null, "text", "and this?"), new Message("critic", "text", "a review"),
				new Message("user", "text", "Hello"), new Message("assistant", "text", "Hi"));
		assertThat(item.inputText()).isEqualTo("Hello");
		assertThat(item.outputText()).isEqualTo("Hi");
	}

	@Test
	void theFinalResponseIsTheAnswer() {
		NormalizedInteraction item = map("""
				{"id": "g1", "createdAt": "2026-11-20T10:00:00Z", "messages": [
				  {"role": "user", "content": "Reset my password?"},
				  {"role": "assistant", "content": "Use the Forgot password link."},
				  {"role": "tool_call", "content": {"name": "lookup"}},
				  {"role": "assistant", "content": "Done: use the Forgot password link."},
				  {"role": "final_response", "content": "Done: use the Forgot password link."}]}
				""");

		assertThat(item.outputText()).isEqualTo("Done: use the Forgot password link.");
		assertThat(item.messages()).hasSize(5);
		assertThat(item.messages().get(4))
			.isEqualTo(new Message("assistant", "text", "Done: use the Forgot password link."));
	}

	@Test
	void withoutFinalResponseTheAssistantTextIsTheAnswer() {
		NormalizedInteraction item = map("""
				{"id": "g1", "createdAt": "2026-11-20T10:00:00Z", "messages": [
				  {"role": "user", "content": "Q"}, {"role": "assistant", "content": "A1"},
				  {"role": "assistant", "content": "A2"}, {"role": "final_response", "content": " "}]}
				""");

		assertThat(item.outputText()).isEqualTo("A1\n\nA2");
	}

	@Test
	void keepsMessageTimestampsAlignedWithMessages() {
		NormalizedInteraction item = map("""
				{"id": "g1", "createdAt": "2026-11-20T10:00:00Z", "messages": [
				  {"role": "user", "content": "Q", "timestamp": "2026-11-20T10:00:00+01:00"},
				  {"role": "assistant", "content": "A", "timestamp": 1763632801000},
				  {"role": "assistant", "content": "B"},
				  {"role": "final_response", "content": "B", "timestamp": "soon"}]}
				""");

		JsonNode timestamps = item.attributes().get(GreenflashMapper.MESSAGE_TIMESTAMPS);
		assertThat(timestamps).hasSize(item.messages().size());
		assertThat(timestamps.get(0).asString()).isEqualTo("2026-11-20T09:00:00Z");
		assertThat(timestamps.get(1).asString()).isEqualTo("2025-11-20T10:00:01Z");
		assertThat(timestamps.get(2).isNull()).isTrue();
		assertThat(timestamps.get(3).asString()).as("kept as given").isEqualTo("soon");
		assertThat(item.attributes().has("timestampsWithoutZone")).isFalse();
	}

	@Test
	void readsSpaceSeparatedAndEpochTimesAndFlagsZoneLessOnes() {
		NormalizedInteraction spaced = map("""
				{"id": "g1", "createdAt": "2023-11-07 05:31:56+00:00", "updatedAt": 1699335117000}
				""");
		NormalizedInteraction zoneLess = map("""
				{"id": "g2", "createdAt": "2023-11-07 05:31:56.123456", "updatedAt": "2023-11-07T05:31:57Z",
				 "messages": [{"role": "user", "content": "Q", "timestamp": "2023-11-07T05:31:56Z"}]}
				""");
		NormalizedInteraction zoneLessMessage = map("""
				{"id": "g3", "createdAt": "2023-11-07T05:31:56Z",
				 "messages": [{"role": "user", "content": "Q", "timestamp": "2023-11-07 05:31:56"}]}
				""");

		assertThat(spaced.createdAt()).isEqualTo(Instant.parse("2023-11-07T05:31:56Z"));
		assertThat(spaced.updatedAt()).isEqualTo(Instant.parse("2023-11-07T05:31:57Z"));
		assertThat(spaced.attributes().has("timestampsWithoutZone")).isFalse();
		assertThat(zoneLess.createdAt()).isEqualTo(Instant.parse("2023-11-07T05:31:56.123456Z"));
		assertThat(zoneLess.attributes().get("timestampsWithoutZone").asBoolean()).isTrue();
		assertThat(zoneLessMessage.attributes().get("timestampsWithoutZone").asBoolean()).isTrue();
		assertThat(zoneLessMessage.attributes().at("/messageTimestamps/0").asString())
			.isEqualTo("2023-11-07T05:31:56Z");
	}

	@Test
	void attributesComeFromTheRedactedProperties() {
		NormalizedInteraction item = map(
				"""
						{"id": "g1", "createdAt": "2026-11-20T10:00:00Z",
						 "properties": {"channel": "web", "session": "sess-SECRET", "author": "Ana",
						   "page": "https://app.example.com/chat?ticket=tk-SECRET"},
						 "messages": [{"role": "tool_call", "content": {"name": "login", "arguments": {"password": "pw-SECRET"}}}]}
						""");

		assertThat(item.attributes().get("channel").asString()).isEqualTo("web");
		assertThat(item.attributes().get("author").asString()).isEqualTo("Ana");
		assertThat(item.attributes().get("session").asString()).isEqualTo("[redacted]");
		assertThat(item.attributes().get("page").asString()).isEqualTo("https://app.example.com/chat?[redacted]");
		assertThat(item.attributes().toString()).doesNotContain("SECRET");
		assertThat(item.raw().toString()).doesNotContain("SECRET");
		assertThat(item.messages().get(0).text()).doesNotContain("SECRET").contains("login");
	}

	@Test
	void unreadFieldsOfAnUnexpectedTypeDoNotFailDecoding() {
		NormalizedInteraction item = map("""
				{"id": "g1", "externalId": {"weird": true}, "participant": "nobody", "organizationExternalId": null,
				 "properties": ["not", "an", "object"], "createdAt": "2026-11-20T10:00:00Z",
				 "messages": [{"role": "user", "content": "Q", "timestamp": {"at": "?"}, "extra": [1]}]}
				""");

		assertThat(item.sourceId()).isEqualTo("g1");
		assertThat(item.attributes().get("properties")).hasSize(3);
		assertThat(item.inputText()).isEqualTo("Q");
	}

	@Test
	void rawIsTheOriginalTreeWithItsExactNumbers() {
		JsonMapper decimals = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
		JsonNode node = decimals.readTree("""
				{"id": "g1", "createdAt": "2026-11-20T10:00:00Z", "rating": 4.50, "ratingMin": 1, "ratingMax": 5,
				 "properties": {"score": 0.70000000000000000001}}
				""");

		NormalizedInteraction item = GreenflashMapper.map("gf", decimals.treeToValue(node, GreenflashInteraction.class),
				node);

		assertThat(item.raw().get("rating").decimalValue()).isEqualTo(new BigDecimal("4.50"));
		assertThat(item.raw().at("/properties/score").decimalValue())
			.isEqualTo(new BigDecimal("0.70000000000000000001"));
		assertThat(item.attributes().get("score").decimalValue()).isEqualTo(new BigDecimal("0.70000000000000000001"));
		assertThat(item.rating()).isEqualByComparingTo("4.5");
	}

	private NormalizedInteraction map(String text) {
		JsonNode node = this.json.readTree(text);
		return GreenflashMapper.map("gf", this.json.treeToValue(node, GreenflashInteraction.class), node);
	}

}
