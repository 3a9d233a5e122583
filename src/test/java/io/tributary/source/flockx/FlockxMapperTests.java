package io.tributary.source.flockx;

import java.math.BigDecimal;
import java.util.Map;
import java.time.Instant;

import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class FlockxMapperTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void readsSpaceSeparatedAndEpochTimesAndFlagsZoneLessOnes() {
		NormalizedInteraction spaced = map("""
				{"id": "f1", "created_at": "2023-11-07 05:31:56Z", "content_role": "user_message"}
				""");
		NormalizedInteraction millis = map("""
				{"id": "f2", "created_at": 1699335116000, "content_role": "user_message"}
				""");
		NormalizedInteraction zoneLess = map("""
				{"id": "f3", "created_at": "2023-11-07 05:31:56.123456", "content_role": "user_message"}
				""");

		assertThat(spaced.createdAt()).isEqualTo(Instant.parse("2023-11-07T05:31:56Z"));
		assertThat(spaced.attributes().has("timestampsWithoutZone")).isFalse();
		assertThat(millis.createdAt()).isEqualTo(Instant.parse("2023-11-07T05:31:56Z"));
		assertThat(zoneLess.createdAt()).isEqualTo(Instant.parse("2023-11-07T05:31:56.123456Z"));
		assertThat(zoneLess.updatedAt()).isEqualTo(zoneLess.createdAt());
		assertThat(zoneLess.attributes().get("timestampsWithoutZone").asBoolean()).isTrue();
	}

	@Test
	void incompleteIsInProgressAndUnknownValuesAreKeptAsGiven() {
		NormalizedInteraction incomplete = map("""
				{"id": "f1", "created_at": "2026-11-20T10:00:08Z", "complete": false,
				 "content_role": "critic_message", "organization_application": "new_app",
				 "participant": {"type": "robot", "user_id": "r1"},
				 "content": [{"type": "carousel", "text": "cards"}, {"text": "plain"}]}
				""");
		NormalizedInteraction complete = map("""
				{"id": "f2", "created_at": "2026-11-20T10:00:08Z", "complete": true, "content_role": "agent_message"}
				""");
		NormalizedInteraction unsaid = map("""
				{"id": "f3", "created_at": "2026-11-20T10:00:08Z", "content_role": "agent_message"}
				""");

		assertThat(incomplete.status()).isEqualTo(InteractionStatus.IN_PROGRESS);
		assertThat(incomplete.attributes().get("complete").asBoolean()).isFalse();
		assertThat(incomplete.attributes().get("contentRole").asString()).isEqualTo("critic_message");
		assertThat(incomplete.attributes().get("organizationApplication").asString()).isEqualTo("new_app");
		assertThat(incomplete.participantType()).isEqualTo("robot");
		assertThat(incomplete.messages()).containsExactly(new Message("critic", "carousel", "cards"),
				new Message("critic", "text", "plain"));
		assertThat(complete.status()).isEqualTo(InteractionStatus.COMPLETED);
		assertThat(unsaid.status()).isEqualTo(InteractionStatus.COMPLETED);
	}

	@Test
	void attributesComeFromTheRedactedItem() {
		NormalizedInteraction item = map("""
				{"id": "f1", "created_at": "2026-11-20T10:00:08Z", "content_role": "agent_message",
				 "metadata": {"model": "gpt-4o", "session_token": "tok-SECRET", "input_tokens": 11},
				 "reactions": [{"emoji": "+1", "count": 2, "auth": "a-SECRET"}],
				 "agent_read_receipts": [{"id": "rr-1", "read_at": "2026-11-20T10:00:09Z",
				   "link": "https://bob:pw-SECRET@flockx.example.com/r?sig=s-SECRET"}]}
				""");

		assertThat(item.attributes().at("/reactions/0/emoji").asString()).isEqualTo("+1");
		assertThat(item.attributes().at("/reactions/0/auth").asString()).isEqualTo("[redacted]");
		assertThat(item.attributes().at("/agentReadReceipts/0/link").asString())
			.isEqualTo("https://flockx.example.com/r?[redacted]");
		assertThat(item.attributes().at("/metadata/session_token").asString()).isEqualTo("[redacted]");
		assertThat(item.attributes().at("/metadata/input_tokens").asInt()).isEqualTo(11);
		assertThat(item.attributes().toString()).doesNotContain("SECRET");
		assertThat(item.raw().toString()).doesNotContain("SECRET");
		assertThat(item.inputTokens()).isEqualTo(11);
		assertThat(item.model()).isEqualTo("gpt-4o");
	}

	@Test
	void unreadFieldsOfAnUnexpectedTypeDoNotFailDecoding() {
		NormalizedInteraction item = map(
				"""
						{"id": "f1", "created_at": "2026-11-20T10:00:08Z", "content_role": "user_message",
						 "content": [{"type": "text", "text": "Hi", "annotations": {}}],
						 "agent_read_receipts": "x", "reactions": {"emoji": 1}, "nested_interactions": "none",
						 "span_id": 12, "metadata": "not an object", "participant": {"type": "user", "user_id": "u1", "extra": []}}
						""");

		assertThat(item.sourceId()).isEqualTo("f1");
		assertThat(item.inputText()).isEqualTo("Hi");
		assertThat(item.attributes().get("agentReadReceipts").asString()).isEqualTo("x");
		assertThat(item.attributes().get("spanId").asInt()).as("as given").isEqualTo(12);
		assertThat(item.attributes().get("metadata").asString()).isEqualTo("not an object");
	}

	@Test
	void rawIsTheOriginalTreeWithItsExactNumbers() {
		JsonMapper decimals = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
		JsonNode node = decimals.readTree("""
				{"id": "f1", "created_at": "2026-11-20T10:00:08Z", "metadata": {"cost": 0.00012345678901234567890}}
				""");

		NormalizedInteraction item = FlockxMapper.map("fx", null, decimals.treeToValue(node, FlockxInteraction.class),
				node);

		assertThat(item.raw().at("/metadata/cost").decimalValue())
			.isEqualTo(new BigDecimal("0.00012345678901234567890"));
	}

	@Test
	void reactionsBecomeARatingOnTheScaleOfTheScores() {
		JsonNode node = this.json.readTree("""
				{"id": "f9", "created_at": "2026-11-20T10:00:08Z", "reactions": [
				  {"emoji": "👍", "count": 3}, {"emoji": "👎", "count": 1}, {"emoji": "🎉", "count": 9}]}
				""");
		FlockxInteraction item = this.json.treeToValue(node, FlockxInteraction.class);
		Map<String, BigDecimal> scores = new FlockxSettings("Token", null, null, true, null).reactionScores();

		NormalizedInteraction rated = FlockxMapper.map("fx", null, item, node, scores);

		assertThat(rated.rating()).isEqualByComparingTo("0.75");
		assertThat(rated.ratingMin()).isEqualByComparingTo("0");
		assertThat(rated.ratingMax()).isEqualByComparingTo("1");
		assertThat(rated.ratingNormalized()).isEqualTo(0.75);
		assertThat(rated.ratingSource()).isEqualTo("reactions");
		assertThat(FlockxMapper.map("fx", null, item, node, Map.of()).rating()).as("scores turned off").isNull();
		assertThat(FlockxMapper.map("fx", null, item, node, Map.of("⭐", new BigDecimal("5"), "💩", new BigDecimal("1")))
			.rating()).as("no scored emoji among them").isNull();
		NormalizedInteraction fiveStars = FlockxMapper.map("fx", null, item, node,
				Map.of("🎉", new BigDecimal("5"), "👎", new BigDecimal("1")));
		assertThat(fiveStars.rating()).isEqualByComparingTo("4.6");
		assertThat(fiveStars.ratingNormalized()).isEqualTo(0.9);
	}

	private NormalizedInteraction map(String text) {
		JsonNode node = this.json.readTree(text);
		return FlockxMapper.map("fx", "agent-0", this.json.treeToValue(node, FlockxInteraction.class), node);
	}

}
