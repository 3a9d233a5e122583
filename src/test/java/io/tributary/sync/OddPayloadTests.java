package io.tributary.sync;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Odd but valid items are synced and stored whole with their neighbours, never rejected:
 * a 5 MB answer of words and a URL, a 300 KB message of {@code a.} repeated, an object
 * nested 800 deep. Every pattern the sync runs over their text is linear, and nothing
 * that walks their trees (decoding, secret and personal-data rules, hashing, JSONB) is
 * bounded below their depth.
 */
@IntegrationTest
class OddPayloadTests {

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

	@Test
	void aFiveMegabyteAnswerIsSyncedWithItsNeighbours() throws Exception {
		String big = "a. ".repeat(1_700_000) + "see https://example.com/?token=abc";
		upstream.stubFor(WireMock.get(urlPathEqualTo("/api/v1/interactions")).willReturn(okJson(flockxPage(big))));

		SyncRun run = this.syncs.at(upstream, "flockx", "odd-payload-key").run("odd-payload", SyncMode.FULL);

		assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo("succeeded");
		assertThat(run.inserted()).isEqualTo(2);
		assertThat(length("odd-payload", "big", "input_text")).isGreaterThan(5_000_000L);
		assertThat(this.jdbc
			.sql("SELECT right(raw -> 'content' -> 0 ->> 'text', 40) FROM interaction"
					+ " WHERE connection = 'odd-payload' AND source_id = 'big'")
			.query(String.class)
			.single()).as("the secret scan reads every string of raw whole: a secret at its end is found")
			.endsWith("see https://example.com/?[redacted]");
		JsonNode items = this.json
			.readTree(this.mvc.perform(get("/api/v1/interactions?connection=odd-payload&sort=createdAt"))
				.andReturn()
				.getResponse()
				.getContentAsString())
			.path("items");
		assertThat(items.findValuesAsString("sourceId")).containsExactly("small", "big");
		assertThat(items.get(0).path("searchTruncated").asBoolean(true)).isFalse();
		assertThat(items.get(1).path("searchTruncated").asBoolean(false))
			.as("searched by its first 100 000 characters, stored whole")
			.isTrue();
	}

	/**
	 * The three odd items of the trial, each among ordinary neighbours, synced by
	 * one sweep of their connections: all stored, none rejected.
	 */
	@Test
	void aLongMessageAFiveMegabyteAnswerAndAnObject800DeepAreAllStored() throws Exception {
		WireMockExtension server = upstream;
		server.stubFor(WireMock.get(urlPathEqualTo("/odd-flockx/api/v1/interactions"))
			.willReturn(okJson(flockxPage("word ".repeat(1_000_000)))));
		server.stubFor(WireMock.get(urlPathEqualTo("/odd-greenflash/api/v1/interactions")).willReturn(okJson("[]")));
		server.stubFor(WireMock.get(urlPathEqualTo("/odd-greenflash/api/v1/interactions"))
			.withQueryParam("page", equalTo("1"))
			.willReturn(okJson("[" + greenflashItem("long") + "," + greenflashItem("short") + "]")));
		server.stubFor(WireMock.get(urlPathEqualTo("/odd-greenflash/api/v1/interactions/long"))
			.willReturn(okJson(greenflashDetail("long", "a.".repeat(150_000)))));
		server.stubFor(WireMock.get(urlPathEqualTo("/odd-greenflash/api/v1/interactions/short"))
			.willReturn(okJson(greenflashDetail("short", "hello"))));
		server.stubFor(WireMock.get(urlPathEqualTo("/odd-zylon/api/v1/app/project/p1/interaction"))
			.willReturn(okJson("{\"data\":[" + zylonItem("deep", nested(800)) + "," + zylonItem("flat", "{}")
					+ "],\"has_next_page\":false}")));

		SyncRun flockx = this.syncs
			.at(upstream, "flockx", "odd-flockx-key", "base-url", upstream.baseUrl() + "/odd-flockx/api/v1")
			.run("odd-flockx", SyncMode.FULL);
		SyncRun greenflash = this.syncs
			.at(upstream, "greenflash", "odd-greenflash-key", "base-url", upstream.baseUrl() + "/odd-greenflash/api/v1")
			.run("odd-greenflash", SyncMode.FULL);
		SyncRun zylon = this.syncs
			.at(upstream, "zylon", "odd-zylon-key", "base-url", upstream.baseUrl() + "/odd-zylon/api/v1", "zylon.org",
					"acme", "zylon.project-ids", "p1")
			.run("odd-zylon", SyncMode.FULL);

		for (SyncRun run : new SyncRun[] { flockx, greenflash, zylon }) {
			assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo("succeeded");
			assertThat(run.inserted()).isEqualTo(2);
			assertThat(run.rejected()).isZero();
		}
		assertThat(length("odd-flockx", "big", "input_text")).isEqualTo(5_000_000L);
		assertThat(length("odd-greenflash", "long", "input_text")).isEqualTo(300_000L);
		assertThat(this.jdbc
			.sql("SELECT raw #> ?::text[] = '{}'::jsonb FROM interaction"
					+ " WHERE connection = 'odd-zylon' AND source_id = 'deep'")
			.param("{user_input,_meta" + ",n".repeat(799) + "}")
			.query(Boolean.class)
			.single()).isTrue();
		String id = this.jdbc
			.sql("SELECT id::text FROM interaction WHERE connection = 'odd-zylon' AND source_id = 'deep'")
			.query(String.class)
			.single();
		MockHttpServletResponse detail = this.mvc.perform(get("/api/v1/interactions/" + id + "?include=raw"))
			.andReturn()
			.getResponse();
		assertThat(detail.getStatus()).isEqualTo(200);
		assertThat(detail.getContentAsString()).contains("\"_meta\":" + "{\"n\":".repeat(799) + "{}");
	}

	private Long length(String connection, String sourceId, String column) {
		return this.jdbc.sql("SELECT length(" + column + ") FROM interaction WHERE connection = ? AND source_id = ?")
			.params(connection, sourceId)
			.query(Long.class)
			.single();
	}

	/** {@code {"n":{"n":…{}…}}}, {@code depth} objects deep. */
	static String nested(int depth) {
		return "{\"n\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
	}

	private static String flockxPage(String big) {
		return "{\"items\":[" + flockxItem("big", "2026-11-20T12:00:00Z", big) + ","
				+ flockxItem("small", "2026-11-20T11:00:00Z", "hi") + "],\"meta\":{\"has_next\":false}}";
	}

	private static String flockxItem(String id, String at, String text) {
		return "{\"id\":\"" + id + "\",\"created_at\":\"" + at + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + text
				+ "\"}],\"content_role\":\"user_message\",\"complete\":true}";
	}

	private static String greenflashItem(String id) {
		return "{\"id\":\"" + id + "\",\"createdAt\":\"2026-11-20T10:00:00Z\",\"updatedAt\":\"2026-11-20T10:00:00Z\"}";
	}

	private static String greenflashDetail(String id, String message) {
		return "{\"id\":\"" + id + "\",\"createdAt\":\"2026-11-20T10:00:00Z\",\"updatedAt\":\"2026-11-20T10:00:00Z\","
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"" + message + "\"},"
				+ "{\"role\":\"assistant\",\"content\":\"ok\"}]}";
	}

	private static String zylonItem(String id, String meta) {
		return "{\"id\":\"" + id + "\",\"project_id\":\"p1\",\"thread_id\":\"t1\",\"state\":\"Completed\","
				+ "\"user_input\":{\"role\":\"user\",\"content\":[{\"data\":\"question\",\"mime_type\":\"text/plain\"}],"
				+ "\"_meta\":" + meta + "},\"assistant_output\":{\"created\":1763632808,\"model\":\"m\","
				+ "\"stop_reason\":\"end_turn\",\"content\":[{\"type\":\"text\",\"data\":\"answer\"}]},"
				+ "\"created_at\":\"2026-11-20T10:00:00Z\"}";
	}

}
