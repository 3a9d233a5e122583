package io.tributary.sync;

import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interactions deleted upstream: marked deleted only once the upstream confirms it (a 404
 * from a detail endpoint that answers 200 for listed items), otherwise after two
 * consecutive successful full runs missed them; never on a failed run; restored when they
 * reappear; hidden from the list unless asked for.
 */
@IntegrationTest
class DeletionTests {

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	private static int counter;

	private String name;

	@BeforeEach
	void fresh() {
		this.name = "deletions-" + (++counter);
		upstream.resetAll();
	}

	@Test
	void aDeletionConfirmedByTwoPassesIsMarkedHiddenFromTheListShownOnRequestAndRestoredOnReturn() throws Exception {
		greenflashList("a", "b", "c");
		greenflashDetails("a", "b", "c");
		assertThat(greenflash(SyncMode.FULL).outcome()).isEqualTo("succeeded");

		greenflashList("a", "c");
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions/b")).willReturn(notFound()));
		SyncRun first = greenflash(SyncMode.FULL);
		assertThat(first.deleted()).as("one answer deletes nothing").isZero();
		assertThat(missed("b")).isEqualTo(1);
		SyncRun run = greenflash(SyncMode.FULL);

		assertThat(run.deleted()).isEqualTo(1);
		assertThat(deleted()).containsExactly("b");
		JsonNode listed = read("/api/v1/interactions?connection=" + this.name);
		assertThat(listed.get("items").valueStream().map((item) -> item.get("sourceId").asString()))
			.containsExactlyInAnyOrder("a", "c");
		JsonNode all = read("/api/v1/interactions?includeDeleted=true&connection=" + this.name);
		assertThat(all.get("items")).hasSize(3);
		JsonNode b = all.get("items")
			.valueStream()
			.filter((item) -> item.get("sourceId").asString().equals("b"))
			.findFirst()
			.orElseThrow();
		assertThat(b.get("deletedAt").isNull()).isFalse();
		assertThat(read("/api/v1/interactions/" + b.get("id").asString()).get("deletedAt").isNull()).isFalse();

		greenflashList("a", "b", "c");
		greenflashDetails("b");
		greenflash(SyncMode.FULL);
		assertThat(deleted()).as("b came back").isEmpty();
	}

	@Test
	void aListingThatMissesAnItemTheDetailStillAnswersMarksNothing() {
		greenflashList("a", "b");
		greenflashDetails("a", "b");
		greenflash(SyncMode.FULL);

		greenflashList("a");
		SyncRun run = greenflash(SyncMode.FULL);
		greenflash(SyncMode.FULL);

		assertThat(run.deleted()).isZero();
		assertThat(deleted()).isEmpty();
		assertThat(missed("b")).isZero();
	}

	@Test
	void aDetailCallThatFailsDecidesNothingAndCountsNoMiss() {
		greenflashList("a", "b");
		greenflashDetails("a", "b");
		greenflash(SyncMode.FULL);
		greenflashList("a");
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions/b")).willReturn(aResponse().withStatus(503)));

		greenflash(SyncMode.FULL);
		greenflash(SyncMode.FULL);

		assertThat(deleted()).isEmpty();
		assertThat(missed("b")).as("an unanswered check is no miss").isZero();
	}

	@Test
	void aFailedFullRunMarksNothing() {
		greenflashList("a", "b");
		greenflashDetails("a", "b");
		greenflash(SyncMode.FULL);

		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson("[" + greenflashItem("a") + "]").withHeader("Link",
					"<" + upstream.baseUrl() + "/api/v1/interactions?page=2>; rel=\"next\"")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("2"))
			.willReturn(aResponse().withStatus(401)));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions/b")).willReturn(notFound()));

		assertThat(greenflash(SyncMode.FULL).outcome()).isEqualTo("failed");
		assertThat(deleted()).isEmpty();
	}

	@Test
	void withoutATrustedDetailEndpointTwoConsecutiveFullRunsMustMissAnItem() {
		// Flockx's detail path answers 404 for a listed item too: its 404s prove nothing
		flockxList("x", "y");
		assertThat(flockx(SyncMode.FULL).outcome()).isEqualTo("succeeded");

		flockxList("x");
		assertThat(flockx(SyncMode.FULL).deleted()).isZero();
		assertThat(missed("y")).isEqualTo(1);

		SyncRun second = flockx(SyncMode.FULL);
		assertThat(second.deleted()).isEqualTo(1);
		assertThat(deleted()).containsExactly("y");
	}

	@Test
	void anItemSeenBetweenTwoMissesStartsCountingAgain() {
		flockxList("x", "y");
		flockx(SyncMode.FULL);
		flockxList("x");
		flockx(SyncMode.FULL);
		flockxList("x", "y");
		flockx(SyncMode.INCREMENTAL);
		flockxList("x");

		flockx(SyncMode.FULL);

		assertThat(deleted()).isEmpty();
		assertThat(missed("y")).isEqualTo(1);
	}

	@Test
	void aFullRunThatListsNothingMarksNothing() {
		flockxList("x", "y");
		flockx(SyncMode.FULL);
		flockxList();

		flockx(SyncMode.FULL);
		flockx(SyncMode.FULL);

		assertThat(deleted()).isEmpty();
		assertThat(missed("x")).isZero();
	}

	private SyncRun greenflash(SyncMode mode) {
		return this.syncs.at(upstream, "greenflash", "deletion-test-key", "retry.max-attempts", "1")
			.run(this.name, mode);
	}

	private SyncRun flockx(SyncMode mode) {
		return this.syncs.at(upstream, "flockx", "deletion-test-key", "retry.max-attempts", "1").run(this.name, mode);
	}

	private static void greenflashList(String... ids) {
		upstream.stubFor(
				get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
					.willReturn(okJson("["
							+ String.join(",", java.util.Arrays.stream(ids).map(DeletionTests::greenflashItem).toList())
							+ "]")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("2"))
			.willReturn(okJson("[]")));
	}

	private static void greenflashDetails(String... ids) {
		for (String id : ids) {
			upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions/" + id)).willReturn(okJson(greenflashItem(id))));
		}
	}

	private static String greenflashItem(String id) {
		return "{\"id\":\"" + id + "\",\"createdAt\":\"2026-11-20T10:00:00Z\",\"updatedAt\":\"2026-11-20T10:00:00Z\","
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"q " + id + "\"}]}";
	}

	private static void flockxList(String... ids) {
		String items = String.join(",", java.util.Arrays.stream(ids)
			.map((id) -> "{\"id\":\"" + id + "\",\"created_at\":\"2026-11-20T10:00:00Z\",\"content\":"
					+ "[{\"type\":\"text\",\"text\":\"hi\"}],\"content_role\":\"user_message\",\"complete\":true}")
			.toList());
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions"))
			.willReturn(okJson("{\"items\":[" + items + "],\"meta\":{\"has_next\":false}}")));
	}

	private List<String> deleted() {
		return this.jdbc
			.sql("SELECT source_id FROM interaction WHERE connection = ? AND deleted_at IS NOT NULL ORDER BY 1")
			.param(this.name)
			.query(String.class)
			.list();
	}

	private int missed(String sourceId) {
		return this.jdbc.sql("SELECT missed_passes FROM interaction WHERE connection = ? AND source_id = ?")
			.param(this.name)
			.param(sourceId)
			.query(Integer.class)
			.single();
	}

	private JsonNode read(String uri) throws Exception {
		return this.json
			.readTree(this.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(uri))
				.andReturn()
				.getResponse()
				.getContentAsString());
	}

}
