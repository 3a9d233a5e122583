package io.tributary.interaction;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.tributary.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/interactions/stats} on real PostgreSQL: metrics per group, time
 * buckets across a daylight-saving change, the list's filters, prices, and the limits.
 */
@IntegrationTest
class InteractionStatsTests {

	private static final String PATH = "/api/v1/interactions/stats";

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	private Api api;

	@BeforeEach
	void interactions() {
		Interactions.deleteAll(this.jdbc);
		this.api = new Api(this.mvc, this.json);
		// Europe/Berlin leaves CET for CEST at 2026-03-29T01:00:00Z: that day lasts 23
		// hours
		this.writer.write(List.of(
				item("zylon", "a", "2026-03-28T22:30:00Z", "gpt-test", 100L, 1000L, "4", "1", "5", "too long",
						InteractionStatus.COMPLETED),
				item("zylon", "b", "2026-03-28T23:30:00Z", "gpt-test", 200L, 2000L, "2", "1", "5", null,
						InteractionStatus.COMPLETED),
				item("flockx", "c", "2026-03-29T21:30:00Z", "gpt-test", 300L, 3000L, null, null, null, null,
						InteractionStatus.ERROR),
				item("flockx", "d", "2026-03-29T22:30:00Z", "mystery", 400L, 4000L, "1", "0", "1", "great",
						InteractionStatus.COMPLETED)),
				List.of());
	}

	@Test
	void oneGroupOfEverythingWithEveryMetric() {
		JsonNode all = this.api.get(PATH).body();

		assertThat(all.get("groupBy")).isEmpty();
		assertThat(all.get("tz").asString()).isEqualTo("UTC");
		JsonNode group = all.get("groups").get(0);
		assertThat(all.get("groups")).hasSize(1);
		assertThat(group.get("count").asLong()).isEqualTo(4);
		assertThat(group.get("inputTokens").asLong()).isEqualTo(1000);
		assertThat(group.get("outputTokens").asLong()).isEqualTo(10000);
		assertThat(group.get("ratedCount").asLong()).isEqualTo(3);
		// normalized: (4-1)/4 = 0.75, (2-1)/4 = 0.25, 1
		assertThat(group.get("avgRating").asDouble()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
		assertThat(group.get("feedbackCount").asLong()).isEqualTo(2);
		assertThat(group.get("errorCount").asLong()).isEqualTo(1);
		assertThat(all.get("computedFrom").asString()).isEqualTo("rollups");
		// from the histogram: within 1/16 of percentile_cont (2500 and 3850)
		assertThat(group.get("p50OutputTokens").asDouble()).isCloseTo(2500.0,
				org.assertj.core.data.Offset.offset(2500.0 / 16));
		assertThat(group.get("p95OutputTokens").asDouble()).isCloseTo(3850.0,
				org.assertj.core.data.Offset.offset(3850.0 / 16));
		assertThat(group.get("cost").isNull()).as("mystery has no price: never guessed").isTrue();
		assertThat(group.has("bucket")).isFalse();

		JsonNode scanned = this.api.get(PATH, "updatedSince", "2000-01-01T00:00:00Z").body();
		assertThat(scanned.get("computedFrom").asString()).as("no rollup knows updatedSince").isEqualTo("scan");
		JsonNode exact = scanned.get("groups").get(0);
		assertThat(exact.get("p50OutputTokens").asDouble()).isEqualTo(2500.0);
		assertThat(exact.get("p95OutputTokens").asDouble()).isCloseTo(3850.0,
				org.assertj.core.data.Offset.offset(1e-6));
		for (String figure : List.of("count", "inputTokens", "outputTokens", "ratedCount", "avgRating", "feedbackCount",
				"errorCount", "cost")) {
			assertThat(exact.get(figure)).as(figure).isEqualTo(group.get(figure));
		}
	}

	@Test
	void groupsBySourceAndModelWithTheListsFiltersAndPricesValidAtCreation() {
		JsonNode groups = this.api.get(PATH, "groupBy", "source,model", "status", "completed", "status", "error")
			.body()
			.get("groups");

		assertThat(groups).hasSize(3);
		assertThat(groups.get(0).get("key").toString()).isEqualTo("{\"source\":\"flockx\",\"model\":\"gpt-test\"}");
		// 300 input tokens at 2/M + 3000 output tokens at 10/M
		assertThat(groups.get(0).get("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("0.0306"));
		assertThat(groups.get(1).get("key").toString()).isEqualTo("{\"source\":\"flockx\",\"model\":\"mystery\"}");
		assertThat(groups.get(1).get("cost").isNull()).isTrue();
		assertThat(groups.get(2).get("key").toString()).isEqualTo("{\"source\":\"zylon\",\"model\":\"gpt-test\"}");
		assertThat(groups.get(2).get("count").asLong()).isEqualTo(2);
		assertThat(groups.get(2).get("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("0.0306"));

		JsonNode onlyZylon = this.api.get(PATH, "groupBy", "model", "source", "zylon", "minRating", "0.5")
			.body()
			.get("groups");
		assertThat(onlyZylon).hasSize(1);
		assertThat(onlyZylon.get(0).get("count").asLong()).isEqualTo(1);
		assertThat(this.api.get(PATH, "groupBy", "source", "groupBy", "status").body().get("groupBy").toString())
			.isEqualTo("[\"source\",\"status\"]");
	}

	@Test
	void dayBucketsFollowTheTimeZoneAcrossADaylightSavingChange() {
		JsonNode berlin = this.api.get(PATH, "interval", "day", "tz", "Europe/Berlin").body().get("groups");

		assertThat(berlin).extracting((group) -> group.get("bucket").asString())
			.containsExactly("2026-03-28T00:00:00+01:00", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00");
		assertThat(berlin).extracting((group) -> group.get("count").asLong()).containsExactly(1L, 2L, 1L);

		JsonNode utc = this.api.get(PATH, "interval", "day").body().get("groups");
		assertThat(utc).extracting((group) -> group.get("bucket").asString())
			.containsExactly("2026-03-28T00:00:00Z", "2026-03-29T00:00:00Z");
		assertThat(utc).extracting((group) -> group.get("count").asLong()).containsExactly(2L, 2L);

		JsonNode hours = this.api.get(PATH, "interval", "hour", "tz", "Europe/Berlin", "groupBy", "source")
			.body()
			.get("groups");
		assertThat(hours).hasSize(4);
		assertThat(hours.get(0).get("key").get("source").asString()).isEqualTo("zylon");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "tz|Mars/Olympus_Mons|tz|not an IANA time zone", "tz|../../etc|tz|must be an IANA time zone",
					"tz|+05:00|tz|IANA time zone", "tz|Etc%2FGMT%2B5x|tz|IANA time zone",
					"tz|UTC+5|tz|not an IANA time zone name", "tz|europe/berlin|tz|not an IANA time zone name",
					"interval|fortnight|interval|allowed values: hour, day, week, month",
					"groupBy|color|groupBy|allowed values: source, connection, model, status, participant, thread",
					"limit|5|limit|Unknown query parameter 'limit'",
					"cursor|abc|cursor|Unknown query parameter 'cursor'",
					"includeTotal|true|includeTotal|Unknown query parameter", "createdFrom|%zz|createdFrom|date-time" })
	void badParametersAreNamed(String parameter, String value, String named, String detail) {
		var answer = this.api.get(PATH, parameter, value);

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.contentType()).startsWith("application/problem+json");
		assertThat(answer.body().get("parameter").asString()).isEqualTo(named);
		assertThat(answer.body().get("detail").asString()).contains(detail);
	}

	@Test
	void tooManyBucketsOrGroupsAreRefusedNamingTheParameter() {
		var buckets = this.api.get(PATH, "interval", "hour", "createdFrom", "2026-01-01", "createdTo", "2026-03-01");
		assertThat(buckets.status()).isEqualTo(400);
		assertThat(buckets.body().get("parameter").asString()).isEqualTo("interval");
		var open = this.api.get(PATH, "interval", "hour", "createdFrom", "2025-01-01");
		assertThat(open.status()).as("one bound: the other is where the matching rows end").isEqualTo(400);
		assertThat(open.body().get("parameter").asString()).isEqualTo("interval");
		assertThat(this.api.get(PATH, "interval", "hour").status()).as("no bounds: the rows span a day, 24 hours")
			.isEqualTo(200);
		assertThat(
				this.api.get(PATH, "interval", "day", "createdFrom", "2026-01-01", "createdTo", "2026-03-01").status())
			.isEqualTo(200);

		List<NormalizedInteraction> threads = new ArrayList<>();
		IntStream.range(0, InteractionStats.MAX_GROUPS + 1)
			.forEach((i) -> threads.add(item("zylon", "t" + i, "2026-04-01T00:00:00Z", "m", 1L, 1L, null, null, null,
					null, InteractionStatus.COMPLETED)));
		this.writer.write(threads, List.of());
		var groups = this.api.get(PATH, "groupBy", "thread");
		assertThat(groups.status()).isEqualTo(400);
		assertThat(groups.body().get("parameter").asString()).isEqualTo("groupBy");
		assertThat(groups.body().get("detail").asString()).contains("more than 1000 groups");
		assertThat(this.api.get(PATH, "groupBy", "thread", "createdFrom", "2026-03-01", "createdTo", "2026-04-01")
			.status()).isEqualTo(200);
	}

	private static NormalizedInteraction item(String source, String id, String created, String model, Long input,
			Long output, String rating, String min, String max, String feedback, InteractionStatus status) {
		Instant at = Instant.parse(created);
		NormalizedInteraction.Builder builder = NormalizedInteraction.builder(source, source + "-stats", id)
			.threadId("thread-" + id)
			.timestamps(at, at)
			.model(model)
			.status(status)
			.tokens(input, output)
			.text("q " + id, "a " + id)
			.messages(List.of())
			.feedback(feedback)
			.raw(JsonNodeFactory.instance.objectNode().put("id", id));
		if (rating != null) {
			builder.rating(new BigDecimal(rating), new BigDecimal(min), new BigDecimal(max));
		}
		return builder.build();
	}

}
