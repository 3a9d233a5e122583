package io.tributary.sync;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An odd but valid item, a 5 MB answer of words and a URL, is synced and stored whole
 * with its neighbours: every pattern the sync runs over its text is linear.
 */
@IntegrationTest
class OddPayloadTests {

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void aFiveMegabyteAnswerIsSyncedWithItsNeighbours() {
		String big = "a. ".repeat(1_700_000) + "see https://example.com/?token=abc";
		String items = item("big", "2026-11-20T12:00:00Z", big) + "," + item("small", "2026-11-20T11:00:00Z", "hi");
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions"))
			.willReturn(okJson("{\"items\":[" + items + "],\"meta\":{\"has_next\":false}}")));

		SyncRun run = this.syncs.at(upstream, "flockx", "odd-payload-key").run("odd-payload", SyncMode.FULL);

		assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo("succeeded");
		assertThat(run.inserted()).isEqualTo(2);
		assertThat(this.jdbc
			.sql("SELECT length(input_text) FROM interaction WHERE connection = 'odd-payload' AND source_id = 'big'")
			.query(Long.class)
			.single()).isGreaterThan(5_000_000L);
	}

	private static String item(String id, String at, String text) {
		return "{\"id\":\"" + id + "\",\"created_at\":\"" + at + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + text
				+ "\"}],\"content_role\":\"user_message\",\"complete\":true}";
	}

}
