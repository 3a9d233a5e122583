package io.tributary.source.greenflash;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.InteractionWriter;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import io.tributary.source.TestConnections;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.tributary.source.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class GreenflashConnectorTests {

	private static final String FIRST = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

	private static final String SECOND = "4d90c3cc-0d44-4b50-8888-8dd25736052b";

	private static final String THIRD = "5e90c3cc-0d44-4b50-8888-8dd25736052c";

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private GreenflashConnector connector;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	private static int connections;

	private String name;

	@BeforeEach
	void details() {
		this.jdbc.sql("TRUNCATE interaction").update();
		this.name = "gf-test-" + (++connections);
		// anything not stubbed by a test is an empty page
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).atPriority(10).willReturn(okJson("[]")));
		for (String id : List.of(FIRST, SECOND, THIRD)) {
			upstream.stubFor(
					get("/api/v1/interactions/" + id).willReturn(okJson(read("greenflash/detail-" + id + ".json"))));
		}
	}

	@Test
	void readsPageOneByNumberThenOverlappingOffsetsWithBearerAuth() {
		stubListing(2, FIRST_SECOND_THIRD);
		// a Link that only names the next page's number would skip under deletions
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json")).withHeader("Link",
					"<" + upstream.baseUrl() + "/api/v1/interactions?page=2&limit=2&productId=p>; rel=\"next\", <"
							+ upstream.baseUrl() + "/api/v1/interactions?page=9&limit=2>; rel=\"last\"")));

		List<SourcePage> pages = fetch(SyncMode.FULL, null, "greenflash.product-id", "p", "greenflash.version-id", "v");

		assertThat(pages).hasSize(2);
		assertThat(pages.get(0).fetched()).isEqualTo(2);
		assertThat(pages.get(1).items()).extracting(NormalizedInteraction::sourceId).containsExactly(THIRD);
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.withQueryParam("limit", equalTo("2"))
			.withQueryParam("productId", equalTo("p"))
			.withQueryParam("versionId", equalTo("v"))
			.withQueryParam("offset", absent())
			.withHeader("Authorization", equalTo("Bearer gf-key")));
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withQueryParam("offset", equalTo("1"))
			.withQueryParam("limit", equalTo("2"))
			.withQueryParam("productId", equalTo("p"))
			.withQueryParam("versionId", equalTo("v"))
			.withQueryParam("page", absent()));
		upstream.verify(getRequestedFor(urlPathMatching("/api/v1/interactions/.*")).withHeader("Authorization",
				equalTo("Bearer gf-key")));
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions"))))
			.as("page 1, offset 1 (SECOND again, then THIRD), offset 2 (THIRD again: short, the end)")
			.hasSize(3);
	}

	@Test
	void followsALinkNextThatCarriesACursor() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json")).withHeader("Link",
					"<" + upstream.baseUrl() + "/api/v1/interactions?cursor=c2&limit=2>; rel=\"next\"")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("cursor", equalTo("c2"))
			.willReturn(okJson(read("greenflash/list-page-2.json"))));

		List<SourcePage> pages = fetch(SyncMode.FULL, null);

		assertThat(pages).flatExtracting(SourcePage::items)
			.extracting(NormalizedInteraction::sourceId)
			.containsExactly(FIRST, SECOND, THIRD);
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions")))).hasSize(2);
	}

	@Test
	void aCursorLinkAfterOffsetsIsFollowedWithoutReadingBack() {
		String fourth = item("6f90c3cc-0d44-4b50-8888-8dd25736052d", "2026-11-18T10:00:00Z", "2026-11-18T10:00:00Z");
		stubListing(2, FIRST_SECOND_THIRD);
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("offset", equalTo("1"))
			.willReturn(okJson(window(items(FIRST_SECOND_THIRD), 1, 2)).withHeader("Link",
					"<" + upstream.baseUrl() + "/api/v1/interactions?cursor=c3>; rel=\"next\"")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("cursor", equalTo("c3"))
			.willReturn(okJson("[" + fourth + "]")));

		List<SourcePage> pages = fetch(SyncMode.FULL, null, "greenflash.fetch-messages", "false");

		assertThat(pages).flatExtracting(SourcePage::items)
			.extracting(NormalizedInteraction::sourceId)
			.containsExactly(FIRST, SECOND, THIRD, "6f90c3cc-0d44-4b50-8888-8dd25736052d");
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions"))))
			.as("page 1, offset 1, the cursor: a cursor's page is no shift")
			.hasSize(3);
	}

	@Test
	void itemsDeletedAboveThePositionBetweenPagesSkipNothing() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.inScenario("deletion")
			.whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
			.willReturn(okJson(read("greenflash/list-page-1.json")))
			.willSetStateTo("deleted"));
		// FIRST is deleted once page 1 is read: SECOND, THIRD and a fourth move up one
		String fourth = item("6f90c3cc-0d44-4b50-8888-8dd25736052d", "2026-11-18T10:00:00Z", "2026-11-18T10:00:00Z");
		List<String> after = List.of(items(FIRST_SECOND_THIRD).get(1), items(FIRST_SECOND_THIRD).get(2), fourth);
		for (int offset = 0; offset <= after.size(); offset++) {
			upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", absent())
				.withQueryParam("offset", equalTo(String.valueOf(offset)))
				.inScenario("deletion")
				.whenScenarioStateIs("deleted")
				.willReturn(okJson(
						"[" + String.join(",", after.subList(offset, Math.min(offset + 2, after.size()))) + "]")));
		}

		List<SourcePage> pages = fetch(SyncMode.FULL, null, "greenflash.fetch-messages", "false");

		assertThat(pages).flatExtracting(SourcePage::items)
			.extracting(NormalizedInteraction::sourceId)
			.containsExactly(FIRST, SECOND, THIRD, "6f90c3cc-0d44-4b50-8888-8dd25736052d");
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withQueryParam("offset", equalTo("0")));
	}

	@Test
	void aLinkNextOutsideTheConfiguredApiIsNeverFollowed() {
		WireMockServer elsewhere = new WireMockServer(wireMockConfig().dynamicPort());
		elsewhere.start();
		try {
			elsewhere.stubFor(get(urlPathMatching(".*")).willReturn(okJson("[]")));
			for (String link : List.of(elsewhere.baseUrl() + "/api/v1/interactions?cursor=2",
					upstream.baseUrl().replace("localhost", "127.0.0.1") + "/api/v1/interactions?cursor=2",
					upstream.baseUrl() + "/other/interactions?cursor=2",
					"//evil.example/api/v1/interactions?cursor=2")) {
				stubListing(2, FIRST_SECOND_THIRD);
				upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
					.willReturn(okJson(read("greenflash/list-page-1.json")).withHeader("Link",
							"<" + link + ">; rel=\"next\"")));

				List<SourcePage> pages = fetch(SyncMode.FULL, null);

				assertThat(pages).as(link).hasSize(2);
			}
			assertThat(elsewhere.findAll(getRequestedFor(urlPathMatching(".*")))).as("the key went nowhere else")
				.isEmpty();
			assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/other/.*")))).isEmpty();
		}
		finally {
			elsewhere.stop();
		}
	}

	@Test
	void withoutLinkReadsNextPageUntilAShortOne() {
		stubListing(2, FIRST_SECOND_THIRD);

		List<SourcePage> pages = fetch(SyncMode.FULL, null);

		assertThat(pages).flatExtracting(SourcePage::items)
			.extracting(NormalizedInteraction::sourceId)
			.containsExactly(FIRST, SECOND, THIRD);
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions")))).hasSize(3);
	}

	@Test
	void mapsEveryField() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json"))));

		NormalizedInteraction first = fetch(SyncMode.FULL, null, "page-size", "5").get(0).items().get(0);

		assertThat(first.source()).isEqualTo("greenflash");
		assertThat(first.connection()).isEqualTo(this.name);
		assertThat(first.sourceId()).isEqualTo(FIRST);
		assertThat(first.participantId()).isEqualTo("a1b2c3d4-0d44-4b50-8888-8dd25736052a");
		assertThat(first.participantExternalId()).isEqualTo("user-4711");
		assertThat(first.organizationId()).isEqualTo("0f0f0f0f-0d44-4b50-8888-8dd25736052a");
		assertThat(first.organizationExternalId()).isEqualTo("acme");
		assertThat(first.productId()).isEqualTo("11111111-0d44-4b50-8888-8dd25736052a");
		assertThat(first.versionId()).isEqualTo("22222222-0d44-4b50-8888-8dd25736052a");
		assertThat(first.model()).isEqualTo("gpt-4o");
		assertThat(first.status()).isEqualTo(InteractionStatus.COMPLETED);
		assertThat(first.rating()).isEqualByComparingTo("4");
		assertThat(first.ratingMin()).isEqualByComparingTo("1");
		assertThat(first.ratingMax()).isEqualByComparingTo("5");
		assertThat(first.ratingNormalized()).isEqualTo(0.75);
		assertThat(first.feedback()).isEqualTo("Solved it, thanks");
		assertThat(first.createdAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
		assertThat(first.updatedAt()).isEqualTo(Instant.parse("2026-11-21T08:30:00Z"));
		assertThat(first.attributes().get("channel").asString()).isEqualTo("web");
		assertThat(first.attributes().get("apiToken").asString()).isEqualTo("[redacted]");
		assertThat(first.messages()).containsExactly(new Message("system", "text", "You are helpful."),
				new Message("user", "text", "How do I reset my password?"),
				new Message("assistant", "tool_use", "{\"name\":\"lookup_user\",\"arguments\":{\"id\":7}}"),
				new Message("tool", "tool_result", "user found"),
				new Message("assistant", "text", "Use the Forgot password link."),
				new Message("assistant", "text", "Anything else?"));
		assertThat(first.inputText()).isEqualTo("How do I reset my password?");
		assertThat(first.outputText()).as("the final response is the answer").isEqualTo("Anything else?");
		assertThat(first.raw().get("participant").get("email").asString()).isEqualTo("ana@example.com");
		assertThat(first.raw().get("properties").get("apiToken").asString()).isEqualTo("[redacted]");
		NormalizedInteraction second = fetch(SyncMode.FULL, null, "page-size", "5").get(0).items().get(1);
		assertThat(second.ratingNormalized()).isNull();
		assertThat(second.organizationId()).isNull();
	}

	@Test
	void fetchesDetailsOnlyForNewOrChangedItems() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json"))));
		this.writer.write(fetch(SyncMode.FULL, null, "page-size", "5").get(0).items());
		upstream.resetRequests();

		SourcePage again = fetch(SyncMode.FULL, null, "page-size", "5").get(0);

		assertThat(again.fetched()).isEqualTo(2);
		assertThat(again.items()).isEmpty();
		assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/api/v1/interactions/.+")))).isEmpty();
	}

	@Test
	void anItemWithANanosecondUpdateTimeIsUnchangedTheSecondTime() {
		String listed = item(FIRST, "2026-11-20T10:00:00.123456789Z", "2026-11-21T10:00:00.987654321Z");
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson("[" + listed + "]")));
		upstream.stubFor(get("/api/v1/interactions/" + FIRST).willReturn(okJson(listed.replace("\"properties\":{}",
				"\"properties\":{},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"))));
		this.writer.write(fetch(SyncMode.FULL, null, "page-size", "5").get(0).items());
		upstream.resetRequests();

		SourcePage again = fetch(SyncMode.FULL, null, "page-size", "5").get(0);

		assertThat(again.items()).as("PostgreSQL keeps microseconds: the same time, unchanged").isEmpty();
		assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/api/v1/interactions/.+")))).isEmpty();
	}

	@Test
	void aCreationTimeSpelledAsDigitsIsQuarantinedNamingTheField() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson("[" + item(FIRST, "20231107", "2026-11-21T10:00:00Z") + "]")));

		SourcePage page = fetch(SyncMode.FULL, null, "page-size", "5").get(0);

		assertThat(page.items()).isEmpty();
		assertThat(page.rejected()).singleElement()
			.satisfies((rejected) -> assertThat(rejected.reason()).contains("createdAt").contains("20231107"));
	}

	@Test
	void aFullRunSeesAListedChangeThatDidNotMoveUpdatedAt() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json"))));
		this.writer.write(fetch(SyncMode.FULL, null, "page-size", "5").get(0).items());
		// rated and commented again upstream, updatedAt as it was (list and detail)
		String rerated = read("greenflash/list-page-1.json").replace("\"rating\": 4", "\"rating\": 2")
			.replace("Solved it, thanks", "Not solved after all");
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(rerated)));
		upstream.stubFor(get("/api/v1/interactions/" + FIRST)
			.willReturn(okJson(read("greenflash/detail-" + FIRST + ".json").replace("\"rating\": 4", "\"rating\": 2")
				.replace("Solved it, thanks", "Not solved after all"))));
		upstream.resetRequests();

		SourcePage again = fetch(SyncMode.FULL, null, "page-size", "5").get(0);

		assertThat(again.items()).extracting(NormalizedInteraction::sourceId).containsExactly(FIRST);
		assertThat(again.items().get(0).rating()).isEqualByComparingTo("2");
		assertThat(again.items().get(0).feedback()).isEqualTo("Not solved after all");
		assertThat(again.items().get(0).messages()).as("with its detail").hasSize(6);
		assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/api/v1/interactions/.+"))))
			.as("only the changed item's detail")
			.hasSize(1);
	}

	@Test
	void fullRunDetailsAllAsksEveryItemsDetail() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json"))));
		this.writer.write(fetch(SyncMode.FULL, null, "page-size", "5").get(0).items());
		upstream.resetRequests();

		fetch(SyncMode.FULL, null, "page-size", "5", "greenflash.full-run-details", "all");

		assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/api/v1/interactions/.+")))).hasSize(2);
	}

	@Test
	void aListedItemWrittenWithoutItsDetailKeepsTheStoredMessages() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json"))));
		this.writer.write(fetch(SyncMode.FULL, null, "page-size", "5").get(0).items());
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json").replace("\"rating\": 4", "\"rating\": 5")
				.replace("2026-11-21T08:30:00Z", "2026-11-22T08:30:00Z"))));
		// the detail answers 404 (just deleted, or a flaky endpoint)
		upstream.stubFor(get("/api/v1/interactions/" + FIRST).willReturn(aResponse().withStatus(404)));

		List<NormalizedInteraction> byDetail404 = fetch(SyncMode.FULL, null, "page-size", "5").get(0).items();
		List<NormalizedInteraction> withoutDetails = fetch(SyncMode.FULL, null, "page-size", "5",
				"greenflash.fetch-messages", "false")
			.get(0)
			.items();

		for (List<NormalizedInteraction> items : List.of(byDetail404, withoutDetails)) {
			assertThat(items).extracting(NormalizedInteraction::sourceId).containsExactly(FIRST);
			assertThat(items.get(0).rating()).as("the listed change is written").isEqualByComparingTo("5");
			assertThat(items.get(0).messages()).as("with the stored messages").hasSize(6);
			assertThat(items.get(0).raw().get("participant").get("email").asString()).isEqualTo("ana@example.com");
		}
	}

	@Test
	void refreshReadsOpenItemsByTheirDetailLeavingOutTheGone() {
		upstream.stubFor(get("/api/v1/interactions/gone-1").willReturn(aResponse().withStatus(404)));

		List<SourcePage> pages = this.connector
			.refresh(TestConnections.request(this.connector, this.name, SyncMode.INCREMENTAL, null, Instant.now(),
					"type", "greenflash", "api-key", "gf-key", "base-url", upstream.baseUrl() + "/api/v1", "page-size",
					"2", "personal-data.mode", "remove"), List.of(FIRST, "gone-1", SECOND, THIRD))
			.collectList()
			.block();

		assertThat(this.connector.refreshes()).isTrue();
		assertThat(pages).hasSize(2).allSatisfy((page) -> assertThat(page.stream()).isEqualTo("open"));
		List<NormalizedInteraction> items = pages.stream().flatMap((page) -> page.items().stream()).toList();
		assertThat(items).extracting(NormalizedInteraction::sourceId).containsExactly(FIRST, SECOND, THIRD);
		assertThat(items.get(0).messages()).hasSize(6);
		assertThat(items.get(0).rating()).isEqualByComparingTo("4");
		assertThat(items.get(0).raw().at("/participant/email").isMissingNode()).as("personal data removed").isTrue();
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/interactions/" + FIRST)).withHeader("Authorization",
				equalTo("Bearer gf-key")));
	}

	@Test
	void withoutFetchMessagesUsesTheListItems() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json"))));

		SourcePage page = fetch(SyncMode.FULL, null, "page-size", "5", "greenflash.fetch-messages", "false").get(0);

		assertThat(page.items()).hasSize(2);
		assertThat(page.items().get(0).messages()).isEmpty();
		assertThat(page.items().get(0).rating()).isEqualByComparingTo(BigDecimal.valueOf(4));
		assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/api/v1/interactions/.+")))).isEmpty();
	}

	@Test
	void incrementalStopsAfterAWholePageOlderThanTheWatermarkWhenNewestFirst() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json"))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("2"))
			.willReturn(okJson(read("greenflash/list-page-2.json"))));

		List<SourcePage> pages = fetch(SyncMode.INCREMENTAL, Instant.parse("2026-12-01T00:00:00Z"));

		assertThat(pages).hasSize(1);
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions")))).hasSize(1);
	}

	@Test
	void incrementalReadsEverythingWhenTheListIsNotNewestFirst() {
		stubListing(2, read("greenflash/list-page-2.json").replace("\"rating\": 0,", "\"rating\": 1,")
			.replace("]",
					"," + read("greenflash/list-page-1.json").substring(1).replaceFirst("\\},\\s*\\{[\\s\\S]*", "}]")));

		List<SourcePage> pages = fetch(SyncMode.INCREMENTAL, Instant.parse("2026-12-01T00:00:00Z"));

		assertThat(pages.get(0).listedCreatedAt()).isSorted();
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions")))).hasSize(2);
	}

	@Test
	void incrementalStopsWhenTheListIsNewestFirstByUpdatedAt() {
		// page 1 lists the late-rated FIRST after SECOND by creation, but newest first by
		// update
		stubListing(2,
				"[" + item(SECOND, "2026-11-19T09:00:00Z", "2026-11-25T00:00:00Z") + ","
						+ item(FIRST, "2026-11-20T10:00:00Z", "2026-11-24T00:00:00Z") + ","
						+ item(THIRD, "2026-11-21T07:00:00Z", "2026-11-21T07:00:00Z") + "]");

		List<SourcePage> pages = fetch(SyncMode.INCREMENTAL, Instant.parse("2026-11-23T00:00:00Z"),
				"greenflash.fetch-messages", "false");

		assertThat(pages).hasSize(2);
		upstream.verify(0,
				getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withQueryParam("offset", equalTo("2")));
	}

	@Test
	void aServerThatIgnoresPageIsReadByOffset() {
		stubListing(5, FIRST_SECOND_THIRD);
		// a short page 1 (a cap, or the end?): page 2 is asked by number, and ignored
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("offset", absent())
			.willReturn(okJson(read("greenflash/list-page-1.json"))));

		List<SourcePage> pages = fetch(SyncMode.FULL, null, "page-size", "5");

		assertThat(pages).flatExtracting(SourcePage::items)
			.extracting(NormalizedInteraction::sourceId)
			.containsExactly(FIRST, SECOND, THIRD);
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withQueryParam("offset", equalTo("1"))
			.withQueryParam("limit", equalTo("5"))
			.withQueryParam("page", absent()));
	}

	@Test
	void aServerThatIgnoresPageAndOffsetIsAnErrorNotALoop() {
		upstream.stubFor(
				get(urlPathEqualTo("/api/v1/interactions")).willReturn(okJson(read("greenflash/list-page-1.json"))));

		org.assertj.core.api.Assertions.assertThatThrownBy(() -> fetch(SyncMode.FULL, null))
			.hasMessageContaining("honours neither page nor offset");
	}

	@Test
	void aServerThatCapsThePageSizeWithoutALinkLosesNothing() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json"))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("2"))
			.willReturn(okJson(read("greenflash/list-page-2.json"))));

		List<SourcePage> pages = fetch(SyncMode.FULL, null, "page-size", "5");

		assertThat(pages).flatExtracting(SourcePage::items)
			.extracting(NormalizedInteraction::sourceId)
			.containsExactly(FIRST, SECOND, THIRD);
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions"))))
			.as("page 2 is shorter than page 1: the end")
			.hasSize(2);
	}

	@Test
	void wrappedListsAndDetailsAreUnwrapped() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson("{\"data\": " + read("greenflash/list-page-2.json") + "}")));
		upstream.stubFor(get("/api/v1/interactions/" + THIRD)
			.willReturn(okJson("{\"data\": " + read("greenflash/detail-" + THIRD + ".json") + "}")));

		List<SourcePage> pages = fetch(SyncMode.FULL, null);

		assertThat(pages).hasSize(1);
		assertThat(pages.get(0).items().get(0).messages()).hasSize(6);
	}

	@Test
	void aBodyThatIsNoListFailsAsUndecodable() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson("{\"success\": true}")));

		org.assertj.core.api.Assertions.assertThatThrownBy(() -> fetch(SyncMode.FULL, null))
			.hasMessageContaining("expected a JSON array of interactions");
	}

	@Test
	void relativeLinkIsResolvedAgainstTheBaseUrl() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("greenflash/list-page-1.json")).withHeader("Link",
					"</api/v1/interactions?cursor=2&limit=2>; rel=next")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("cursor", equalTo("2"))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));

		assertThat(fetch(SyncMode.FULL, null)).hasSize(1);
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions")))).hasSize(2);
	}

	private static final String FIRST_SECOND_THIRD = "["
			+ read("greenflash/list-page-1.json").strip().substring(1).replaceFirst("\\]\\s*$", "") + ","
			+ read("greenflash/list-page-2.json").strip().substring(1);

	/**
	 * Serves one listing the way Greenflash pages it: by {@code page} (1-based) and by
	 * {@code offset}, {@code size} items each.
	 */
	private static void stubListing(int size, String listing) {
		List<String> items = items(listing);
		for (int page = 1; page <= items.size() / size + 1; page++) {
			upstream.stubFor(
					get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo(String.valueOf(page)))
						.willReturn(okJson(window(items, (page - 1) * size, size))));
		}
		for (int offset = 0; offset <= items.size(); offset++) {
			upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", absent())
				.withQueryParam("offset", equalTo(String.valueOf(offset)))
				.willReturn(okJson(window(items, offset, size))));
		}
	}

	private static String window(List<String> items, int from, int size) {
		return "[" + String.join(",", items.subList(Math.min(from, items.size()), Math.min(from + size, items.size())))
				+ "]";
	}

	private static List<String> items(String listing) {
		List<String> items = new java.util.ArrayList<>();
		tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree(listing)
			.valueStream()
			.forEach((item) -> items.add(item.toString()));
		return items;
	}

	private static String item(String id, String createdAt, String updatedAt) {
		return "{\"id\":\"" + id + "\",\"externalId\":null,\"participantId\":\"p\",\"externalParticipantId\":null,"
				+ "\"organizationId\":null,\"organizationExternalId\":null,\"productId\":\"pr\",\"versionId\":\"v\","
				+ "\"model\":null,\"rating\":null,\"ratingMin\":null,\"ratingMax\":null,\"feedback\":null,\"createdAt\":\""
				+ createdAt + "\",\"updatedAt\":\"" + updatedAt + "\",\"properties\":{}}";
	}

	private List<SourcePage> fetch(SyncMode mode, Instant watermark, String... extra) {
		String[] properties = new String[6 + extra.length];
		System.arraycopy(
				new String[] { "type", "greenflash", "api-key", "gf-key", "base-url", upstream.baseUrl() + "/api/v1" },
				0, properties, 0, 6);
		System.arraycopy(extra, 0, properties, 6, extra.length);
		if (java.util.Arrays.asList(extra).indexOf("page-size") < 0) {
			properties = java.util.stream.Stream
				.concat(java.util.Arrays.stream(properties), java.util.stream.Stream.of("page-size", "2"))
				.toArray(String[]::new);
		}
		return this.connector
			.fetch(TestConnections.request(this.connector, this.name, mode, watermark, Instant.now(), properties))
			.filter((page) -> !page.end())
			.collectList()
			.block();
	}

}
