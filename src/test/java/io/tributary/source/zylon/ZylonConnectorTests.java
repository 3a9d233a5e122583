package io.tributary.source.zylon;

import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import io.tributary.source.TestConnections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

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

class ZylonConnectorTests {

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final ZylonConnector connector = new ZylonConnector(
			new io.tributary.source.UpstreamClients(WebClient.builder()), JsonMapper.builder().build());

	@Test
	void pagesWithAfterAndFirstNewestFirstAndSendsBearerAndOrg() {
		stubProject("p1");

		List<SourcePage> pages = fetch("project", SyncMode.FULL, null, "p1");

		assertThat(pages).flatExtracting(SourcePage::items)
			.extracting(NormalizedInteraction::sourceId)
			.containsExactly("int-3", "int-2", "int-1");
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/app/project/p1/interaction"))
			.withQueryParam("first", equalTo("2"))
			.withQueryParam("page_order", equalTo("DESC"))
			.withQueryParam("after", absent())
			.withQueryParam("page", absent())
			.withQueryParam("page_size", absent())
			.withQueryParam("total_count", equalTo("true"))
			.withHeader("Authorization", equalTo("Bearer zy-key"))
			.withHeader("x-org", equalTo("acme")));
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/app/project/p1/interaction"))
			.withQueryParam("after", equalTo("cur-2"))
			.withQueryParam("first", equalTo("2"))
			.withQueryParam("total_count", absent())
			.withQueryParam("page_order", equalTo("DESC")));
	}

	@Test
	void theTotalCountAskedWithAStreamsFirstPageTravelsWithIt() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/p7/interaction")).withQueryParam("after", absent())
			.willReturn(okJson(read("zylon/page-1.json").replaceFirst("\\{", "{\"total_count\": 3,"))));
		upstream
			.stubFor(get(urlPathEqualTo("/api/v1/app/project/p7/interaction")).withQueryParam("after", equalTo("cur-2"))
				.willReturn(okJson(read("zylon/page-2.json"))));

		List<SourcePage> pages = fetch("project", SyncMode.FULL, null, "p7");

		assertThat(pages.get(0).total()).isEqualTo(3);
		assertThat(pages.get(1).total()).as("later pages carry none: the run keeps the first").isNull();
	}

	@Test
	void mapsEveryFieldAndStripsSecrets() {
		stubProject("p1");

		List<NormalizedInteraction> items = fetch("project", SyncMode.FULL, null, "p1").get(0).items();
		NormalizedInteraction done = items.get(0);
		NormalizedInteraction processing = items.get(1);

		assertThat(done.source()).isEqualTo("zylon");
		assertThat(done.sourceId()).isEqualTo("int-3");
		assertThat(done.threadId()).isEqualTo("thr-1");
		assertThat(done.productId()).isEqualTo("p1");
		assertThat(done.participantId()).isEqualTo("usr-7");
		assertThat(done.participantExternalId()).isEqualTo("acct-7");
		assertThat(done.organizationId()).isEqualTo("org-acme");
		assertThat(done.model()).isEqualTo("qwen-2.5-72b");
		assertThat(done.status()).isEqualTo(InteractionStatus.COMPLETED);
		assertThat(done.inputText()).isEqualTo("Question 3: how do I export data?");
		assertThat(done.outputText()).isEqualTo("Answer 3: use Settings > Export.");
		assertThat(done.messages()).containsExactly(new Message("user", "text", "Question 3: how do I export data?"),
				new Message("assistant", "thinking", "Let me think"),
				new Message("assistant", "text", "Answer 3: use Settings > Export."),
				new Message("assistant", "image", "chart.png"));
		assertThat(done.inputTokens()).isEqualTo(103);
		assertThat(done.outputTokens()).isEqualTo(203);
		assertThat(done.createdAt()).isEqualTo(Instant.parse("2026-11-20T10:00:05Z"));
		assertThat(done.attributes().get("stopReason").asString()).isEqualTo("end_turn");
		assertThat(done.attributes().get("correlationId").asString()).isEqualTo("corr-3");
		assertThat(done.raw().at("/pgpt/mcp_servers/0/authorization_token").asString()).isEqualTo("[redacted]");
		assertThat(done.raw().toString()).doesNotContain("mcp-SECRET-123");
		assertThat(done.raw().at("/assistant_output/usage/input_tokens").asInt()).isEqualTo(103);
		assertThat(done.raw().at("/pgpt/max_tokens").asInt()).isEqualTo(1024);
		assertThat(processing.status()).isEqualTo(InteractionStatus.IN_PROGRESS);
		assertThat(processing.outputText()).isNull();
		assertThat(processing.inputTokens()).isNull();
	}

	@Test
	void readsEveryProjectInTurn() {
		stubProject("p1");
		stubProject("p2");

		List<SourcePage> pages = fetch("project", SyncMode.FULL, null, "p1,p2");

		assertThat(pages).hasSize(4);
		upstream.verify(2, getRequestedFor(urlPathEqualTo("/api/v1/app/project/p1/interaction")));
		upstream.verify(2, getRequestedFor(urlPathEqualTo("/api/v1/app/project/p2/interaction")));
	}

	@Test
	void autoFallsBackToThreadsOn404AndRemembersIt() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/p2/interaction"))
			.willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Not Found\"}")));
		upstream.stubFor(
				get(urlPathEqualTo("/api/v1/app/project/p2/thread")).willReturn(okJson(read("zylon/threads.json"))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/thread/thr-a/interaction"))
			.willReturn(okJson(read("zylon/page-2.json"))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/thread/thr-b/interaction"))
			.willReturn(okJson(read("zylon/page-2.json").replace("int-1", "int-9"))));

		List<SourcePage> pages = fetch("auto", SyncMode.FULL, null, "p2");
		List<SourcePage> again = fetch("auto", SyncMode.FULL, null, "p2");

		assertThat(pages).flatExtracting(SourcePage::items)
			.extracting(NormalizedInteraction::sourceId)
			.containsExactly("int-1", "int-9");
		assertThat(again).hasSize(2);
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/app/project/p2/interaction")))).hasSize(1);
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/app/thread/thr-a/interaction"))
			.withQueryParam("page_order", equalTo("DESC"))
			.withHeader("x-org", equalTo("acme")));
	}

	@Test
	void projectVariantDoesNotFallBack() {
		upstream
			.stubFor(get(urlPathEqualTo("/api/v1/app/project/p3/interaction")).willReturn(aResponse().withStatus(404)));

		org.assertj.core.api.Assertions.assertThatThrownBy(() -> fetch("project", SyncMode.FULL, null, "p3"))
			.hasMessageContaining("GET /api/v1/app/project/p3/interaction answered 404");
	}

	@Test
	void incrementalStopsAtTheWatermarkWithoutRequestingTheNextPage() {
		stubProject("p1");

		List<SourcePage> pages = fetch("project", SyncMode.INCREMENTAL, Instant.parse("2026-11-21T00:00:00Z"), "p1");

		assertThat(pages).hasSize(1);
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/app/project/p1/interaction")))).hasSize(1);
	}

	@Test
	void aNextPageWithoutCursorIsReadByPageNumber() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/p4/interaction")).withQueryParam("page", absent())
			.willReturn(okJson(read("zylon/page-1.json").replace("\"cur-2\"", "null"))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/p4/interaction")).withQueryParam("page", equalTo("2"))
			.willReturn(okJson(read("zylon/page-2.json"))));

		assertThat(fetch("project", SyncMode.FULL, null, "p4")).flatExtracting(SourcePage::items).hasSize(3);
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/app/project/p4/interaction"))
			.withQueryParam("page", equalTo("2"))
			.withQueryParam("page_size", equalTo("2"))
			.withQueryParam("after", absent())
			.withQueryParam("first", absent()));
	}

	@Test
	void aServerThatIgnoresTheCursorIsReadByPageNumber() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/p5/interaction")).withQueryParam("page", absent())
			.willReturn(okJson(read("zylon/page-1.json"))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/p5/interaction")).withQueryParam("page", equalTo("2"))
			.willReturn(okJson(read("zylon/page-2.json"))));

		assertThat(fetch("project", SyncMode.FULL, null, "p5")).flatExtracting(SourcePage::items)
			.extracting(NormalizedInteraction::sourceId)
			.containsExactly("int-3", "int-2", "int-1");
	}

	@Test
	void aServerThatRepeatsItsFirstPageIsAnErrorNotALoop() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/p6/interaction"))
			.willReturn(okJson(read("zylon/page-1.json"))));

		org.assertj.core.api.Assertions.assertThatThrownBy(() -> fetch("project", SyncMode.FULL, null, "p6"))
			.hasMessageContaining("honours neither cursors nor page numbers");
	}

	@Test
	void aZoneLessTimeOfASelfHostedInstanceIsReadInTheConnectionsZone() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/tz/interaction"))
			.willReturn(okJson(read("zylon/page-1.json").replace("\"2026-11-20T10:00:05Z\"", "\"2026-11-20T10:00:05\"")
				.replace("\"has_next_page\": true", "\"has_next_page\": false"))));

		NormalizedInteraction local = fetch("project", SyncMode.FULL, null, "tz", "time-zone", "America/New_York")
			.get(0)
			.items()
			.get(0);

		assertThat(local.createdAt()).isEqualTo(Instant.parse("2026-11-20T15:00:05Z"));
		assertThat(local.attributes().path("timestampsWithoutZone").asBoolean()).isTrue();
	}

	@Test
	void aCreationTimeSpelledAsDigitsIsRefusedNamingTheField() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/digits/interaction"))
			.willReturn(okJson(read("zylon/page-1.json").replace("\"2026-11-20T10:00:05Z\"", "\"20231107\"")
				.replace("\"has_next_page\": true", "\"has_next_page\": false"))));

		SourcePage page = fetch("project", SyncMode.FULL, null, "digits").get(0);

		assertThat(page.rejected()).singleElement().satisfies((rejected) -> {
			assertThat(rejected.sourceId()).isEqualTo("int-3");
			assertThat(rejected.reason()).contains("created_at").contains("20231107");
		});
	}

	private void stubProject(String project) {
		upstream.stubFor(
				get(urlPathEqualTo("/api/v1/app/project/" + project + "/interaction")).withQueryParam("after", absent())
					.willReturn(okJson(read("zylon/page-1.json").replace("\"project_id\": \"p1\"",
							"\"project_id\": \"" + project + "\""))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/" + project + "/interaction"))
			.withQueryParam("after", equalTo("cur-2"))
			.willReturn(okJson(read("zylon/page-2.json"))));
	}

	@Test
	void withFetchFeedbackEachInteractionsFeedbackBecomesItsRating() {
		stubProject("p1");
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-3"))
			.willReturn(okJson("{\"data\": [{\"rating\": 2, \"created_at\": \"2026-11-01T00:00:00Z\"}, "
					+ "{\"rating\": 4, \"comment\": \"spot on\", \"created_at\": \"2026-11-02T00:00:00Z\"}]}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-2"))
			.willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Not Found\"}")));
		upstream
			.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-1")).willReturn(okJson("{\"thumbs_up\": false}")));

		List<NormalizedInteraction> items = fetch("project", SyncMode.FULL, null, "p1", "zylon.fetch-feedback", "true")
			.stream()
			.flatMap((page) -> page.items().stream())
			.toList();

		assertThat(items).extracting(NormalizedInteraction::sourceId).containsExactly("int-3", "int-2", "int-1");
		assertThat(items.get(0).rating()).isEqualByComparingTo("4");
		assertThat(items.get(0).ratingNormalized()).isEqualTo(0.75);
		assertThat(items.get(0).ratingSource()).isEqualTo("feedback");
		assertThat(items.get(0).feedback()).isEqualTo("spot on");
		assertThat(items.get(0).raw().get("_tributary_feedback")).as("kept for renormalization").isNotNull();
		assertThat(new ZylonConnector(null, JsonMapper.builder().build())
			.remap(TestConnections.request(this.connector, "zy-remap", SyncMode.FULL, null, Instant.now(), "type",
					"zylon", "api-key", "zy-key", "base-url", upstream.baseUrl() + "/api/v1", "zylon.org", "acme",
					"zylon.project-ids", "p1"), items.get(0).raw())
			.rating()).as("mapped again from raw alone").isEqualByComparingTo("4");
		assertThat(items.get(1).rating()).as("no feedback: 404").isNull();
		assertThat(items.get(2).ratingNormalized()).isEqualTo(0.0);
		upstream.verify(3,
				getRequestedFor(urlPathMatching("/api/v1/app/feedback/.*")).withHeader("x-org", equalTo("acme")));
		assertThat(fetch("project", SyncMode.FULL, null, "p1").get(0).items().get(0).rating()).as("off by default")
			.isNull();
	}

	@Test
	void aRatingWithoutItsScaleIsReadOnTheConnectionsScaleWhateverItsValue() {
		stubProject("p8");
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-3")).willReturn(okJson("{\"rating\": 1}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-2")).willReturn(okJson("{\"rating\": 2}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-1"))
			.willReturn(okJson("{\"rating\": 7, \"min\": 0, \"max\": 10}")));

		List<NormalizedInteraction> byDefault = feedbackItems("p8");
		List<NormalizedInteraction> onTen = feedbackItems("p8", "zylon.feedback-scale.min", "0",
				"zylon.feedback-scale.max", "10");

		assertThat(byDefault).extracting(NormalizedInteraction::ratingNormalized)
			.as("1..5 by default: 1 is the worst, as 2 is one step up")
			.containsExactly(0.0, 0.25, 0.7);
		assertThat(byDefault.get(0).ratingMin()).isEqualByComparingTo("1");
		assertThat(byDefault.get(0).ratingMax()).isEqualByComparingTo("5");
		assertThat(onTen).extracting(NormalizedInteraction::ratingNormalized)
			.as("a stated scale wins over the connection's")
			.containsExactly(0.1, 0.2, 0.7);
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-3")).willReturn(okJson("{\"rating\": 0.5}")));
		assertThat(feedbackItems("p8").get(0).rating()).as("outside the connection's scale: no rating, not a guess")
			.isNull();
		org.assertj.core.api.Assertions
			.assertThatThrownBy(
					() -> feedbackItems("p8", "zylon.feedback-scale.min", "5", "zylon.feedback-scale.max", "5"))
			.hasMessageContaining("feedback-scale");
	}

	@Test
	void refreshReadsOpenItemsByTheirDetailMappedAsListedLeavingOutTheGone() {
		stubProject("p1");
		tools.jackson.databind.JsonNode listed = JsonMapper.builder().build().readTree(read("zylon/page-1.json"));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/interaction/int-3"))
			.willReturn(okJson(listed.get("data").get(0).toString())));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/interaction/int-2"))
			.willReturn(okJson("{\"data\": " + listed.get("data").get(1) + "}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/interaction/int-gone"))
			.willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Interaction not found\"}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-3")).willReturn(okJson("{\"rating\": 5}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/feedback/int-2")).willReturn(aResponse().withStatus(404)));

		List<SourcePage> pages = this.connector
			.refresh(request("zy-refresh", "zylon.fetch-feedback", "true", "personal-data.mode", "remove"),
					List.of("int-3", "int-gone", "int-2"))
			.collectList()
			.block();

		assertThat(this.connector.refreshes()).isTrue();
		assertThat(pages).allSatisfy((page) -> {
			assertThat(page.stream()).isEqualTo("open");
			assertThat(page.end()).isFalse();
		});
		List<NormalizedInteraction> items = pages.stream().flatMap((page) -> page.items().stream()).toList();
		assertThat(items).extracting(NormalizedInteraction::sourceId).containsExactly("int-3", "int-2");
		assertThat(pages).flatExtracting(SourcePage::listedIds).containsExactly("int-3", "int-2");
		NormalizedInteraction asListed = fetch("project", SyncMode.FULL, null, "p1", "personal-data.mode", "remove")
			.get(0)
			.items()
			.get(0);
		assertThat(items.get(0).outputText()).isEqualTo(asListed.outputText());
		assertThat(items.get(0).messages()).isEqualTo(asListed.messages());
		assertThat(items.get(0).status()).isEqualTo(InteractionStatus.COMPLETED);
		assertThat(items.get(0).rating()).as("feedback read too").isEqualByComparingTo("5");
		assertThat(items.get(0).raw().at("/created_by/email").isMissingNode()).as("personal data removed").isTrue();
		assertThat(items.get(0).raw().toString()).doesNotContain("mcp-SECRET-123");
		assertThat(items.get(1).status()).isEqualTo(InteractionStatus.IN_PROGRESS);
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/app/interaction/int-3"))
			.withHeader("Authorization", equalTo("Bearer zy-key"))
			.withHeader("x-org", equalTo("acme")));
	}

	@Test
	void refreshOfNothingAsksNothingAndAFailedDetailFailsIt() {
		assertThat(this.connector.refresh(request("zy-refresh-none"), List.of()).collectList().block()).isEmpty();
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/interaction/int-broken"))
			.willReturn(aResponse().withStatus(400).withBody("{}")));

		org.assertj.core.api.Assertions
			.assertThatThrownBy(
					() -> this.connector.refresh(request("zy-refresh-fail"), List.of("int-broken")).blockLast())
			.hasMessageContaining("400");
	}

	private io.tributary.source.SyncRequest request(String name, String... more) {
		List<String> properties = new java.util.ArrayList<>(List.of("type", "zylon", "api-key", "zy-key", "base-url",
				upstream.baseUrl() + "/api/v1", "page-size", "2", "zylon.org", "acme", "zylon.project-ids", "p1"));
		properties.addAll(List.of(more));
		return TestConnections.request(this.connector, name, SyncMode.INCREMENTAL, null, Instant.now(),
				properties.toArray(String[]::new));
	}

	private List<NormalizedInteraction> feedbackItems(String project, String... more) {
		List<String> settings = new java.util.ArrayList<>(List.of("zylon.fetch-feedback", "true"));
		settings.addAll(List.of(more));
		return fetch("project", SyncMode.FULL, null, project, settings.toArray(String[]::new)).stream()
			.flatMap((page) -> page.items().stream())
			.toList();
	}

	private List<SourcePage> fetch(String variant, SyncMode mode, Instant watermark, String projects, String... more) {
		String name = "zy-" + variant + "-" + projects.hashCode();
		List<String> properties = new java.util.ArrayList<>(List.of("type", "zylon", "api-key", "zy-key", "base-url",
				upstream.baseUrl() + "/api/v1", "page-size", "2", "overlap", "PT0S", "zylon.org", "acme",
				"zylon.project-ids", projects, "zylon.api-variant", variant));
		properties.addAll(List.of(more));
		return this.connector
			.fetch(TestConnections.request(this.connector, name, mode, watermark, Instant.now(),
					properties.toArray(String[]::new)))
			.filter((page) -> !page.end())
			.collectList()
			.block();
	}

}
