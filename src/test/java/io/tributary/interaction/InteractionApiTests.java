package io.tributary.interaction;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.tributary.IntegrationTest;
import io.tributary.common.SignedCursors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@IntegrationTest
class InteractionApiTests {

	private static final String PATH = "/api/v1/interactions";

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Autowired
	private SignedCursors cursors;

	private Api api;

	/**
	 * Two interactions that differ in every filtered field: each filter below must return
	 * exactly one.
	 */
	@BeforeEach
	void twoInteractions() {
		Interactions.deleteAll(this.jdbc);
		this.api = new Api(this.mvc, this.json);
		this.writer.write(List.of(
				NormalizedInteraction.builder("greenflash", "gf-main", "alpha")
					.threadId("thread-a")
					.participant("participant-a", "ext-a", "user")
					.organization("org-a", "ext-org-a")
					.productId("product-a")
					.versionId("version-a")
					.model("gpt-4o")
					.status(InteractionStatus.COMPLETED)
					.text("How do I get a refund for my order?", "Open Orders and choose Refund.")
					.messages(List.of(new Message("user", "text", "How do I get a refund for my order?"),
							new Message("assistant", "text", "Open Orders and choose Refund.")))
					.tokens(10L, 20L)
					.rating(new BigDecimal("4"), new BigDecimal("1"), new BigDecimal("5"))
					.feedback("very helpful")
					.timestamps(Instant.parse("2026-11-10T12:00:00Z"), Instant.parse("2026-11-12T08:00:00Z"))
					.attributes(JsonNodeFactory.instance.objectNode().put("channel", "web"))
					.raw(JsonNodeFactory.instance.objectNode().put("id", "alpha"))
					.build(),
				NormalizedInteraction.builder("zylon", "zylon-main", "beta")
					.threadId("thread-b")
					.participant("participant-b", "ext-b", "user")
					.organization("org-b", null)
					.productId("product-b")
					.model("claude-sonnet")
					.status(InteractionStatus.ERROR)
					.text("What is the weather in Paris?", null)
					.rating(new BigDecimal("1"), new BigDecimal("0"), new BigDecimal("10"))
					.timestamps(Instant.parse("2026-10-01T09:00:00Z"), Instant.parse("2026-10-01T09:00:00Z"))
					.raw(JsonNodeFactory.instance.objectNode().put("id", "beta"))
					.build()));
	}

	static Stream<Arguments> filters() {
		return Stream.of(arguments("source", "greenflash", "alpha"), arguments("source", "zylon", "beta"),
				arguments("connection", "gf-main", "alpha"), arguments("connection", "zylon-main", "beta"),
				arguments("participantId", "participant-a", "alpha"),
				arguments("participantId", "participant-b", "beta"),
				arguments("externalParticipantId", "ext-a", "alpha"),
				arguments("externalParticipantId", "ext-b", "beta"), arguments("organizationId", "org-a", "alpha"),
				arguments("organizationId", "org-b", "beta"), arguments("threadId", "thread-a", "alpha"),
				arguments("threadId", "thread-b", "beta"), arguments("productId", "product-a", "alpha"),
				arguments("productId", "product-b", "beta"), arguments("model", "gpt-4o", "alpha"),
				arguments("model", "claude-sonnet", "beta"), arguments("status", "completed", "alpha"),
				arguments("status", "error", "beta"), arguments("createdFrom", "2026-11-01T00:00:00Z", "alpha"),
				arguments("createdFrom", "2026-11-10", "alpha"), arguments("createdTo", "2026-11-01", "beta"),
				arguments("createdTo", "2026-10-01T09:00:00.000001Z", "beta"),
				arguments("updatedSince", "2026-11-12T08:00:00Z", "alpha"), arguments("minRating", "0.5", "alpha"),
				arguments("maxRating", "0.5", "beta"), arguments("hasFeedback", "true", "alpha"),
				arguments("hasFeedback", "false", "beta"), arguments("q", "refund", "alpha"),
				arguments("q", "Paris weather", "beta"), arguments("q", "helpful", "alpha"),
				arguments("q", "\"choose refund\"", "alpha"), arguments("q", "refund -order", "none"));
	}

	@ParameterizedTest(name = "{0}={1} returns {2}")
	@MethodSource("filters")
	void eachFilterIncludesItsMatchAndExcludesTheOther(String parameter, String value, String expected) {
		var response = this.api.get(PATH, parameter, value);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.sourceIds()).isEqualTo(expected.equals("none") ? List.of() : List.of(expected));
	}

	@Test
	void repeatedSourceMeansEither() {
		assertThat(this.api.get(PATH, "source", "greenflash", "source", "zylon").sourceIds())
			.containsExactlyInAnyOrder("alpha", "beta");
		assertThat(this.api.get(PATH, "source", "flockx").sourceIds()).isEmpty();
	}

	@Test
	void filtersCombineWithAnd() {
		assertThat(this.api.get(PATH, "source", "greenflash", "model", "claude-sonnet").sourceIds()).isEmpty();
		assertThat(this.api.get(PATH, "source", "greenflash", "model", "gpt-4o").sourceIds()).containsExactly("alpha");
	}

	@Test
	void sortsNewestFirstByDefaultAndInEveryOrderAsked() {
		assertThat(this.api.get(PATH).sourceIds()).containsExactly("alpha", "beta");
		assertThat(this.api.get(PATH, "sort", "-createdAt").sourceIds()).containsExactly("alpha", "beta");
		assertThat(this.api.get(PATH, "sort", "createdAt").sourceIds()).containsExactly("beta", "alpha");
		assertThat(this.api.get(PATH, "sort", "updatedAt").sourceIds()).containsExactly("beta", "alpha");
		assertThat(this.api.get(PATH, "sort", "-updatedAt").sourceIds()).containsExactly("alpha", "beta");
	}

	@Test
	void listItemsCarryTheSummaryWithoutMessagesOrRaw() {
		JsonNode item = this.api.get(PATH, "source", "greenflash").body().get("items").get(0);

		assertThat(item.has("messages")).isFalse();
		assertThat(item.has("raw")).isFalse();
		assertThat(item.get("source").asString()).isEqualTo("greenflash");
		assertThat(item.get("connection").asString()).isEqualTo("gf-main");
		assertThat(item.get("participant").get("externalId").asString()).isEqualTo("ext-a");
		assertThat(item.get("organization").get("id").asString()).isEqualTo("org-a");
		assertThat(item.get("usage").get("outputTokens").asLong()).isEqualTo(20);
		assertThat(item.get("rating").get("value").decimalValue()).isEqualByComparingTo("4");
		assertThat(item.get("rating").get("normalized").asDouble()).isEqualTo(0.75);
		assertThat(item.get("feedback").asString()).isEqualTo("very helpful");
		assertThat(item.get("createdAt").asString()).isEqualTo("2026-11-10T12:00:00Z");
		assertThat(item.get("attributes").get("channel").asString()).isEqualTo("web");
		assertThat(item.has("versionId")).isTrue();
		assertThat(this.api.get(PATH, "source", "zylon").body().get("items").get(0).get("outputText").isNull())
			.isTrue();
	}

	@Test
	void pageEnvelopeCarriesCursorAndTotalOnlyWhenAsked() {
		JsonNode first = this.api.get(PATH, "limit", "1").body();
		assertThat(first.get("page").get("limit").asInt()).isEqualTo(1);
		assertThat(first.get("page").get("hasNext").asBoolean()).isTrue();
		assertThat(first.get("page").has("total")).isFalse();

		JsonNode second = this.api.get(PATH, "limit", "1", "cursor", first.get("page").get("nextCursor").asString())
			.body();
		assertThat(second.get("items").get(0).get("sourceId").asString()).isEqualTo("beta");
		assertThat(second.get("page").get("hasNext").asBoolean()).isFalse();
		assertThat(second.get("page").get("nextCursor").isNull()).isTrue();

		assertThat(this.api.get(PATH, "limit", "1", "includeTotal", "true").body().get("page").get("total").asLong())
			.isEqualTo(2);
		assertThat(
				this.api.get(PATH, "source", "zylon", "includeTotal", "true").body().get("page").get("total").asLong())
			.isEqualTo(1);
	}

	@Test
	void aMatchingIfNoneMatchIsA304WithoutABodyUntilTheContentChanges() throws Exception {
		String id = this.api.get(PATH, "source", "greenflash").body().get("items").get(0).get("id").asString();
		for (String path : List.of(PATH + "/" + id, PATH + "?source=greenflash", PATH + "/stats?groupBy=source")) {
			var first = this.mvc.perform(get(path)).andReturn().getResponse();
			String etag = first.getHeader("ETag");
			assertThat(first.getStatus()).isEqualTo(200);
			assertThat(etag).as(path).matches(path.contains("?") ? "W/\"[0-9a-f]{32}\"" : "\"[0-9a-f]{32}\"");
			assertThat(first.getHeader("Cache-Control")).isEqualTo("no-cache, private");
			assertThat(first.getHeaders("Vary")).as("what a key sees depends on the key")
				.contains("X-API-Key", "Authorization");

			var again = this.mvc.perform(get(path).header("If-None-Match", etag)).andReturn().getResponse();
			assertThat(again.getStatus()).as(path).isEqualTo(304);
			assertThat(again.getContentAsString()).isEmpty();
			assertThat(again.getHeader("ETag")).isEqualTo(etag);
			assertThat(this.mvc.perform(get(path).header("If-None-Match", "\"other\""))
				.andReturn()
				.getResponse()
				.getStatus()).isEqualTo(200);
		}
		String detailTag = this.mvc.perform(get(PATH + "/" + id)).andReturn().getResponse().getHeader("ETag");
		String listTag = this.mvc.perform(get(PATH + "?source=greenflash")).andReturn().getResponse().getHeader("ETag");
		assertThat(this.mvc.perform(get(PATH + "/" + id + "?include=raw")).andReturn().getResponse().getHeader("ETag"))
			.isNotEqualTo(detailTag);

		// the upstream rated it since: a new content hash, so a new tag
		this.writer.write(List.of(NormalizedInteraction.builder("greenflash", "gf-main", "alpha")
			.threadId("thread-a")
			.timestamps(Instant.parse("2026-11-20T10:00:00Z"), Instant.parse("2026-11-22T10:00:00Z"))
			.text("changed", "changed")
			.messages(List.of())
			.raw(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", "alpha").put("v", 2))
			.build()), List.of());
		assertThat(this.mvc.perform(get(PATH + "/" + id).header("If-None-Match", detailTag))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(200);
		assertThat(this.mvc.perform(get(PATH + "?source=greenflash").header("If-None-Match", listTag))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(200);
	}

	@Test
	void anEstimatedTotalIsThePlannersAndSaysSo() {
		this.writer.write(java.util.stream.IntStream.range(0, 300)
			.mapToObj((i) -> NormalizedInteraction
				.builder((i % 3 == 0) ? "zylon" : "flockx", "est-connection", "est-" + i)
				.timestamps(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i),
						Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i))
				.text("q", "a")
				.messages(List.of())
				.raw(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", i))
				.build())
			.toList(), List.of());
		// truncated before this test: no statistics until an ANALYZE, so a count answers
		JsonNode unanalyzed = this.api.get(PATH, "limit", "1", "includeTotal", "estimated").body().get("page");
		assertThat(unanalyzed.get("totalIsEstimate").asBoolean()).isFalse();
		assertThat(unanalyzed.get("total").asLong()).isEqualTo(302);
		this.jdbc.sql("ANALYZE interaction").update();

		JsonNode estimated = this.api.get(PATH, "limit", "1", "includeTotal", "estimated").body().get("page");
		JsonNode exact = this.api.get(PATH, "limit", "1", "includeTotal", "exact").body().get("page");
		JsonNode zylon = this.api.get(PATH, "source", "zylon", "includeTotal", "estimated").body().get("page");

		assertThat(exact.get("total").asLong()).isEqualTo(302);
		assertThat(exact.get("totalIsEstimate").asBoolean()).isFalse();
		assertThat(estimated.get("totalIsEstimate").asBoolean()).isTrue();
		assertThat(estimated.get("total").asLong()).isBetween(250L, 350L);
		assertThat(zylon.get("total").asLong()).as("a third of them, per the statistics").isBetween(70L, 140L);
		assertThat(this.api.get(PATH, "limit", "1").body().get("page").has("totalIsEstimate")).isFalse();
	}

	@Test
	void detailCarriesMessagesAndRawOnlyOnRequest() {
		String id = this.api.get(PATH, "source", "greenflash").body().get("items").get(0).get("id").asString();

		var detail = this.api.get(PATH + "/" + id);
		assertThat(detail.status()).isEqualTo(200);
		assertThat(detail.body().get("id").asString()).isEqualTo(id);
		assertThat(detail.body().get("sourceId").asString()).isEqualTo("alpha");
		assertThat(detail.body().get("messages").get(1).get("role").asString()).isEqualTo("assistant");
		assertThat(detail.body().get("messages").get(1).get("text").asString())
			.isEqualTo("Open Orders and choose Refund.");
		assertThat(detail.body().has("raw")).isFalse();

		var withRaw = this.api.get(PATH + "/" + id, "include", "raw");
		assertThat(withRaw.body().get("raw").get("id").asString()).isEqualTo("alpha");
	}

	/**
	 * Cursors signed with the test secret whose position is garbage: impossible for a
	 * client without the secret, but a position PostgreSQL cannot hold must still be a
	 * 400, not a failed statement.
	 */
	@Test
	void signedCursorsWithPositionsNoRowCanHaveAre400sNamingTheCursor() {
		String fingerprint = Filters.filter().build().fingerprint();
		String id = UUID.randomUUID().toString();
		for (List<String> position : List.of(List.of("+300000-01-01T00:00:00Z", id),
				List.of("+294277-01-01T00:00:00Z", id), List.of("-5000-01-01T00:00:00Z", id),
				List.of("+1000000000-12-31T23:59:59.999999999Z", id), List.of("yesterday", id), List.of("", id),
				List.of("2026-11-01T00:00:00Z", "not-a-uuid"), List.of("2026-11-01T00:00:00Z", ""),
				List.of("2026-11-01T00:00:00Z", id + "0"))) {
			String cursor = this.cursors.encode("interactions.v1", "-createdAt", fingerprint, position.get(0),
					position.get(1));
			var response = this.api.get(PATH, "cursor", cursor);
			assertThat(response.status()).as(position.toString()).isEqualTo(400);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
			assertThat(response.body().get("parameter").asString()).isEqualTo("cursor");
		}
		// the extremes a stored row can have page normally
		assertThat(
				this.api
					.get(PATH, "cursor",
							this.cursors.encode("interactions.v1", "-createdAt", fingerprint, "+294276-12-31T23:00:00Z",
									id))
					.sourceIds())
			.containsExactly("alpha", "beta");
		assertThat(
				this.api
					.get(PATH, "cursor",
							this.cursors.encode("interactions.v1", "-createdAt", fingerprint, "-4713-11-25T00:00:00Z",
									id))
					.sourceIds())
			.isEmpty();
	}

}
