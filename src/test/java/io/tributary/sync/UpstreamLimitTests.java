package io.tributary.sync;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No upstream answer can cost more than the connection allows: a body past
 * {@code max-body-size} or {@code max-body-tokens}, nested past the gateway's depth, or a
 * page with more items than it was asked for fails its page with an error naming the
 * limit, once (never retried: it would come back as large), and stores nothing of it.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class UpstreamLimitTests {

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void anAnswerOverTheBodyCapFailsItsPageNamingTheCapAndTheProperty(CapturedOutput output) {
		stubFlockx("/capped", okJson(flockxPage("x".repeat(100_000))));

		SyncRun run = flockx("capped", "max-body-size", "64KB");

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).contains("over the connection's limit of 65536 bytes",
				"tributary.sources.capped.max-body-size");
		assertThat(output.getAll()).contains("tributary.sources.capped.max-body-size");
		assertThat(requests("/capped")).isEqualTo(1);
		assertThat(stored("capped")).isZero();
	}

	@Test
	void anAnswerThatDeclaresNoLengthIsCutAtTheCap() {
		stubFlockx("/chunked",
				aResponse().withHeader("Content-Type", "application/json")
					.withBody(flockxPage("x".repeat(200_000)))
					.withChunkedDribbleDelay(20, 50));

		SyncRun run = flockx("chunked", "max-body-size", "64KB");

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).contains("more than 65536 bytes", "tributary.sources.chunked.max-body-size");
		assertThat(requests("/chunked")).isEqualTo(1);
	}

	@Test
	void millionsOfEmptyArraysAreRefusedBeforeTheyBecomeATree() {
		stubFlockx("/arrays", okJson("{\"items\":[" + "[],".repeat(1_000_000) + "[]],\"meta\":{\"has_next\":false}}"));

		SyncRun run = flockx("arrays");

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).contains("more than 500000 JSON tokens", "tributary.sources.arrays.max-body-tokens");
		assertThat(requests("/arrays")).isEqualTo(1);
		assertThat(run.rejected()).isZero();
	}

	@Test
	void anAnswerNestedPastTheGatewaysDepthIsRefused() {
		stubFlockx("/deep", okJson(flockxPage("hi").replace("\"complete\":true",
				"\"complete\":true,\"meta\":" + OddPayloadTests.nested(1001))));

		SyncRun run = flockx("deep");

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).contains("nested deeper than 1000 levels");
		assertThat(requests("/deep")).isEqualTo(1);
	}

	@Test
	void aFlockxPageWithMoreItemsThanAskedForFailsItsPage() {
		stubFlockx("/more", okJson("{\"items\":[" + flockxItem("a") + "," + flockxItem("b") + "," + flockxItem("c")
				+ "],\"meta\":{\"has_next\":false}}"));

		SyncRun run = flockx("more", "page-size", "2");

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).contains("a page of 3 items, more than the 2 it was asked for");
		assertThat(stored("more")).isZero();
	}

	@Test
	void aGreenflashPageWithMoreItemsThanAskedForFailsItsPage() {
		upstream.stubFor(get(urlPathEqualTo("/gf-more/api/v1/interactions")).willReturn(
				okJson("[" + greenflashItem("a") + "," + greenflashItem("b") + "," + greenflashItem("c") + "]")));

		SyncRun run = this.syncs
			.at(upstream, "greenflash", "limits-greenflash-key", "base-url", upstream.baseUrl() + "/gf-more/api/v1",
					"page-size", "2")
			.run("gf-more", SyncMode.FULL);

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).contains("a page of 3 items, more than the 2 it was asked for");
		assertThat(stored("gf-more")).isZero();
	}

	@Test
	void aZylonPageWithMoreItemsThanAskedForFailsItsPage() {
		upstream
			.stubFor(get(urlPathEqualTo("/zy-more/api/v1/app/project/p1/interaction")).willReturn(okJson("{\"data\":["
					+ zylonItem("a") + "," + zylonItem("b") + "," + zylonItem("c") + "],\"has_next_page\":false}")));

		SyncRun run = this.syncs
			.at(upstream, "zylon", "limits-zylon-key", "base-url", upstream.baseUrl() + "/zy-more/api/v1", "zylon.org",
					"acme", "zylon.project-ids", "p1", "page-size", "2")
			.run("zy-more", SyncMode.FULL);

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).contains("a page of 3 items, more than the 2 it was asked for");
		assertThat(stored("zy-more")).isZero();
	}

	@Test
	void aPageOfAsManyItemsAsAskedForIsStored() {
		upstream.stubFor(get(urlPathEqualTo("/exact/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(
					"{\"items\":[" + flockxItem("a") + "," + flockxItem("b") + "],\"meta\":{\"has_next\":false}}")));

		SyncRun run = flockx("exact", "page-size", "2");

		assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo("succeeded");
		assertThat(stored("exact")).isEqualTo(2);
	}

	/**
	 * The run's budget holds inside a page: a run whose {@code run-timeout} passed while
	 * its first page was on its way maps none of it (each item is checked against the
	 * deadline before its rules and secret scan run) and commits nothing, instead of
	 * finishing the page first.
	 */
	@Test
	void aRunPastItsBudgetStopsBeforeTheNextItemOfItsPage() {
		stubFlockx("/budget",
				okJson("{\"items\":[" + flockxItem("a") + "," + flockxItem("b") + "],\"meta\":{\"has_next\":false}}")
					.withFixedDelay(300));

		SyncRun run = flockx("budget", "run-timeout", "PT0.1S");

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).startsWith("the run exceeded its time budget (run-timeout PT0.1S)");
		assertThat(run.pages()).isZero();
		assertThat(stored("budget")).isZero();
	}

	private SyncRun flockx(String name, String... settings) {
		return this.syncs
			.at(upstream, "flockx", "limits-flockx-key", "base-url", upstream.baseUrl() + "/" + name + "/api/v1")
			.with(settings)
			.run(name, SyncMode.FULL);
	}

	private static void stubFlockx(String prefix,
			com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
		upstream.stubFor(get(urlPathEqualTo(prefix + "/api/v1/interactions")).willReturn(answer));
	}

	private static int requests(String prefix) {
		return SyncRuns.requests(upstream, getRequestedFor(urlPathEqualTo(prefix + "/api/v1/interactions")));
	}

	private int stored(String connection) {
		return this.jdbc.sql("SELECT count(*) FROM interaction WHERE connection = ?")
			.param(connection)
			.query(Integer.class)
			.single();
	}

	private static String flockxPage(String text) {
		return "{\"items\":[{\"id\":\"one\",\"created_at\":\"2026-11-20T12:00:00Z\",\"content\":[{\"type\":\"text\","
				+ "\"text\":\"" + text + "\"}],\"content_role\":\"user_message\",\"complete\":true}],"
				+ "\"meta\":{\"has_next\":false}}";
	}

	private static String flockxItem(String id) {
		return "{\"id\":\"" + id + "\",\"created_at\":\"2026-11-20T12:00:00Z\",\"content\":[{\"type\":\"text\","
				+ "\"text\":\"hi\"}],\"content_role\":\"user_message\",\"complete\":true}";
	}

	private static String greenflashItem(String id) {
		return "{\"id\":\"" + id + "\",\"createdAt\":\"2026-11-20T10:00:00Z\",\"updatedAt\":\"2026-11-20T10:00:00Z\"}";
	}

	private static String zylonItem(String id) {
		return "{\"id\":\"" + id + "\",\"project_id\":\"p1\",\"thread_id\":\"t1\",\"state\":\"Completed\","
				+ "\"user_input\":{\"role\":\"user\",\"content\":[{\"data\":\"q\",\"mime_type\":\"text/plain\"}]},"
				+ "\"created_at\":\"2026-11-20T10:00:00Z\"}";
	}

}
