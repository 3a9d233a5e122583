package io.tributary.source.zylon;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.common.Rows;
import io.tributary.interaction.InteractionWriter;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.KnownVersions;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import io.tributary.source.SyncRequest;
import io.tributary.source.TestConnections;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.tributary.source.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code fetch-feedback}, feedback read once stays: incremental runs that skip the
 * feedback call for unchanged interactions write them with the stored feedback, so
 * rating, feedback and {@code updated_at} stay as they were (issue 19, item 2).
 */
@IntegrationTest
class ZylonFeedbackStoredTests {

	private static final String NAME = "zy-feedback-kept";

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private ZylonConnector connector;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private KnownVersions known;

	@Autowired
	private JdbcClient jdbc;

	@BeforeEach
	void upstream() {
		this.jdbc.sql("DELETE FROM interaction WHERE connection = ?").param(NAME).update();
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/p1/interaction")).withQueryParam("after", absent())
			.willReturn(okJson(read("zylon/page-1.json"))));
		upstream
			.stubFor(get(urlPathEqualTo("/api/v1/app/project/p1/interaction")).withQueryParam("after", equalTo("cur-2"))
				.willReturn(okJson(read("zylon/page-2.json"))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-3"))
			.willReturn(okJson("{\"rating\": 4, \"comment\": \"spot on\"}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-2"))
			.willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Not Found\"}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-1")).willReturn(okJson("{\"thumbs_up\": true}")));
	}

	@Test
	void incrementalRunsAfterAFullOneKeepEveryFeedbackRating() {
		run(SyncMode.FULL);
		Map<String, Stored> afterFull = stored();
		assertThat(afterFull.get("int-3").rating()).isEqualByComparingTo("4");
		assertThat(afterFull.get("int-3").feedback()).isEqualTo("spot on");
		assertThat(afterFull.get("int-1").rating()).isEqualByComparingTo("1");
		upstream.resetRequests();

		run(SyncMode.INCREMENTAL);
		run(SyncMode.INCREMENTAL);

		assertThat(stored()).isEqualTo(afterFull);
		assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/api/v1/app/feedback/.*"))))
			.as("unchanged interactions cost no feedback call")
			.isEmpty();
	}

	@Test
	void anInteractionThatMovedOnHasItsFeedbackAskedAgain() {
		run(SyncMode.FULL);
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/p1/interaction")).withQueryParam("after", absent())
			.willReturn(okJson(read("zylon/page-1.json").replace("1763632808", "1795219200"))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-3")).willReturn(okJson("{\"rating\": 2}")));
		upstream.resetRequests();

		run(SyncMode.INCREMENTAL);

		assertThat(stored().get("int-3").rating()).isEqualByComparingTo("2");
		assertThat(stored().get("int-3").feedback()).isNull();
		upstream.verify(1, getRequestedFor(urlPathMatching("/api/v1/app/feedback/.*")));
	}

	@Test
	void interactionsStoredBeforeFeedbackWasOnAreAskedOnce() {
		run(SyncMode.FULL, "false");
		assertThat(stored().get("int-3").rating()).isNull();

		run(SyncMode.INCREMENTAL, "true");
		upstream.resetRequests();
		run(SyncMode.INCREMENTAL, "true");

		assertThat(stored().get("int-3").rating()).isEqualByComparingTo("4");
		assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/api/v1/app/feedback/.*"))))
			.as("asked once, a 404 too")
			.isEmpty();
	}

	private void run(SyncMode mode) {
		run(mode, "true");
	}

	/** One run as the sync runs it: pages written one by one, stored versions at hand. */
	private void run(SyncMode mode, String fetchFeedback) {
		ConfiguredConnection configured = TestConnections.configured(this.connector, NAME, "type", "zylon", "api-key",
				"zy-key", "base-url", upstream.baseUrl() + "/api/v1", "page-size", "2", "overlap", "PT0S", "zylon.org",
				"acme", "zylon.project-ids", "p1", "zylon.api-variant", "project", "zylon.fetch-feedback",
				fetchFeedback);
		// every stream is read to its end: the incremental reads all three again
		Map<String, Instant> watermarks = (mode == SyncMode.FULL) ? Map.of()
				: Map.of("project:p1", Instant.parse("2026-11-20T10:00:00Z"));
		SyncRequest request = new SyncRequest(NAME, configured.connection(), configured.settings(), mode, watermarks,
				Instant.now(), Map.of(), Set.of(), configured.personalData(), this.known);
		List<SourcePage> pages = this.connector.fetch(request).collectList().block();
		for (SourcePage page : pages) {
			this.writer.write(page.items(), List.of(), this.connector.mapperVersion());
		}
	}

	private Map<String, Stored> stored() {
		Map<String, Stored> rows = new HashMap<>();
		this.jdbc.sql("SELECT source_id, rating, feedback, updated_at FROM interaction WHERE connection = ?")
			.param(NAME)
			.query((rs, row) -> rows.put(rs.getString("source_id"),
					new Stored(rs.getBigDecimal("rating"), rs.getString("feedback"), Rows.instant(rs, "updated_at"))))
			.list();
		assertThat(rows).containsOnlyKeys("int-1", "int-2", "int-3");
		return rows;
	}

	private record Stored(BigDecimal rating, String feedback, Instant updatedAt) {

		@Override
		public boolean equals(Object other) {
			return other instanceof Stored that
					&& ((this.rating == null) ? that.rating == null
							: that.rating != null && this.rating.compareTo(that.rating) == 0)
					&& java.util.Objects.equals(this.feedback, that.feedback) && this.updatedAt.equals(that.updatedAt);
		}

		@Override
		public int hashCode() {
			return java.util.Objects.hash(this.feedback, this.updatedAt);
		}

	}

}
