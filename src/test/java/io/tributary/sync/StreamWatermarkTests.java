package io.tributary.sync;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each stream keeps its own watermark: with two Zylon projects read one after the other,
 * interactions that arrive in the first project while the second is read are found by the
 * next incremental run, although they are older than everything the second project
 * showed.
 */
@IntegrationTest
class StreamWatermarkTests {

	private static final String NAME = "streams-zylon";

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private StreamStore streams;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void arrivalsInTheFirstProjectWhileTheSecondIsReadAreNotLost() {
		this.jdbc.sql("DELETE FROM interaction WHERE connection = ?").param(NAME).update();
		this.jdbc.sql("DELETE FROM sync_stream WHERE connection = ?").param(NAME).update();
		stub("p1", null, page("c-end", false, item("p1", "a", "10:00"), item("p1", "b", "09:59")));
		stub("p2", null, page(null, false, item("p2", "x", "10:10"), item("p2", "y", "10:09")));
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");
		Map<String, StreamStore.StreamState> after = this.streams.load(NAME);
		assertThat(after.get("project:p1").watermark()).isEqualTo(at("10:00"));
		assertThat(after.get("project:p2").watermark()).isEqualTo(at("10:10"));

		// while p2 was read, four interactions arrived in p1: older than p2's newest
		stub("p1", null, page("c1", true, item("p1", "n5", "10:05"), item("p1", "n4", "10:04")));
		stub("p1", "c1", page("c2", true, item("p1", "n3", "10:03"), item("p1", "n2", "10:02")));
		stub("p1", "c2", page(null, false, item("p1", "a", "10:00"), item("p1", "b", "09:59")));

		assertThat(run(SyncMode.INCREMENTAL).outcome()).isEqualTo("succeeded");

		assertThat(stored()).containsExactlyInAnyOrder("a", "b", "x", "y", "n5", "n4", "n3", "n2");
		assertThat(this.streams.load(NAME).get("project:p1").watermark()).isEqualTo(at("10:05"));
		assertThat(this.streams.load(NAME).get("project:p2").watermark()).isEqualTo(at("10:10"));
	}

	private SyncRun run(SyncMode mode) {
		return this.syncs
			.at(upstream, "zylon", "zylon-stream-key", "page-size", "2", "overlap", "PT0S", "zylon.org", "acme",
					"zylon.project-ids", "p1,p2", "zylon.api-variant", "project")
			.run(NAME, mode);
	}

	private static void stub(String project, String after, String body) {
		MappingBuilder request = get(urlPathEqualTo("/api/v1/app/project/" + project + "/interaction"));
		request = (after != null) ? request.withQueryParam("after", equalTo(after))
				: request.withQueryParam("after", absent());
		upstream.stubFor(request.willReturn(okJson(body)));
	}

	private static String page(String nextCursor, boolean hasNext, String... items) {
		return "{\"data\":[" + String.join(",", items) + "],\"next_cursor\":"
				+ ((nextCursor != null) ? "\"" + nextCursor + "\"" : "null") + ",\"has_next_page\":" + hasNext + "}";
	}

	private static String item(String project, String id, String time) {
		return "{\"id\":\"" + id + "\",\"project_id\":\"" + project + "\",\"thread_id\":\"t\",\"state\":\"Completed\","
				+ "\"user_input\":{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"data\":\"q " + id + "\"}]},"
				+ "\"created_at\":\"" + at(time) + "\"}";
	}

	private static Instant at(String time) {
		return Instant.parse("2026-11-20T" + time + ":00Z");
	}

	private Set<String> stored() {
		return new HashSet<>(this.jdbc.sql("SELECT source_id FROM interaction WHERE connection = ?")
			.param(NAME)
			.query(String.class)
			.list()
			.stream()
			.collect(Collectors.toSet()));
	}

}
