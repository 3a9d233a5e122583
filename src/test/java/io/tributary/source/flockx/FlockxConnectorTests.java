package io.tributary.source.flockx;

import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import io.tributary.source.TestConnections;
import io.tributary.source.UpstreamClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.tributary.source.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

class FlockxConnectorTests {

	private static final Instant RUN_START = Instant.parse("2026-11-23T12:00:00.123Z");

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final FlockxConnector connector = new FlockxConnector(new UpstreamClients(WebClient.builder()),
			JsonMapper.builder().build());

	@Test
	void pinsEndTimeForTheWholeRunAndSendsEveryParameter() {
		stubPages();

		List<SourcePage> pages = fetch(SyncMode.FULL, null, "flockx.agent-id", "agent-1", "flockx.channel-id", "ch-1");

		assertThat(pages).flatExtracting(SourcePage::items)
			.extracting(NormalizedInteraction::sourceId)
			.containsExactly("ev-3", "ev-2", "ev-1");
		for (String page : List.of("1", "2")) {
			upstream
				.verify(getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo(page))
					.withQueryParam("size", equalTo("2"))
					.withQueryParam("sort_order", equalTo("desc"))
					.withQueryParam("end_time", equalTo("2026-11-23T12:00:00.123Z"))
					.withQueryParam("include_incomplete", equalTo("true"))
					.withQueryParam("agent_id", equalTo("agent-1"))
					.withQueryParam("channel_id", equalTo("ch-1"))
					.withHeader("Authorization", equalTo("Token fx-key")));
		}
	}

	@Test
	void authSchemeIsConfigurableAndMayBeEmpty() {
		stubPages();

		fetch(SyncMode.FULL, null, "flockx.auth-scheme", "");
		upstream.verify(
				getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withHeader("Authorization", equalTo("fx-key"))
					.withQueryParam("agent_id", absent()));
		fetch(SyncMode.FULL, null, "flockx.auth-scheme", "Bearer", "flockx.include-incomplete", "false");
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/interactions"))
			.withHeader("Authorization", equalTo("Bearer fx-key"))
			.withQueryParam("include_incomplete", equalTo("false")));
	}

	@Test
	void mapsEveryField() {
		stubPages();

		List<NormalizedInteraction> items = fetch(SyncMode.FULL, null).get(0).items();
		NormalizedInteraction agent = items.get(0);
		NormalizedInteraction user = items.get(1);

		assertThat(agent.source()).isEqualTo("flockx");
		assertThat(agent.threadId()).isEqualTo("ch-1");
		assertThat(agent.participantId()).isEqualTo("agent-1");
		assertThat(agent.participantType()).isEqualTo("agent");
		assertThat(agent.organizationId()).isEqualTo("org-1");
		assertThat(agent.productId()).isEqualTo("agent-1");
		assertThat(agent.model()).isEqualTo("gpt-4o");
		assertThat(agent.status()).isEqualTo(InteractionStatus.IN_PROGRESS);
		assertThat(agent.outputText()).isEqualTo("Partial ans");
		assertThat(agent.inputText()).isNull();
		assertThat(agent.messages()).containsExactly(new Message("assistant", "text", "Partial ans"));
		assertThat(agent.inputTokens()).isEqualTo(11);
		assertThat(agent.outputTokens()).isEqualTo(22);
		assertThat(agent.createdAt()).isEqualTo(Instant.parse("2026-11-20T10:00:08Z"));
		assertThat(agent.attributes().get("interactionId").asString()).isEqualTo("turn-1");
		assertThat(agent.attributes().get("spanId").asString()).isEqualTo("span-3");
		assertThat(agent.attributes().get("parentSpanId").asString()).isEqualTo("span-0");
		assertThat(agent.attributes().get("organizationApplication").asString()).isEqualTo("asi_one");
		assertThat(agent.attributes().at("/reactions/0/emoji").asString()).isEqualTo("👍");
		assertThat(agent.attributes().at("/agentReadReceipts/0/read_at").asString()).isEqualTo("2026-11-20T10:00:09Z");
		assertThat(agent.attributes().at("/metadata/session_token").asString()).isEqualTo("[redacted]");
		assertThat(agent.raw().toString()).doesNotContain("tok-SECRET");
		assertThat(user.status()).isEqualTo(InteractionStatus.COMPLETED);
		assertThat(user.inputText()).isEqualTo("What is Flockx?");
		assertThat(user.participantId()).isEqualTo("u-1");
		assertThat(user.messages()).containsExactly(new Message("user", "text", "What is Flockx?"));
		assertThat(user.attributes().get("parentSpanId").isNull()).isTrue();
	}

	@Test
	void incrementalStopsAtTheWatermark() {
		stubPages();

		List<SourcePage> pages = fetch(SyncMode.INCREMENTAL, Instant.parse("2026-11-22T00:00:00Z"));

		assertThat(pages).hasSize(1);
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions")))).hasSize(1);
	}

	@Test
	void withoutHasNextThePagesEndAtTheTotalOrAtAShortPage() {
		assertThat(FlockxConnector.hasNext(new FlockxInteraction.Meta(5L, null, null, 1), 1, 2, 2)).isTrue();
		assertThat(FlockxConnector.hasNext(new FlockxInteraction.Meta(5L, null, null, 3), 3, 2, 1)).isFalse();
		assertThat(FlockxConnector.hasNext(new FlockxInteraction.Meta(null, null, null, null), 1, 2, 2)).isTrue();
		assertThat(FlockxConnector.hasNext(null, 2, 2, 1)).isFalse();
		assertThat(FlockxConnector.hasNext(new FlockxInteraction.Meta(99L, false, true, 1), 1, 2, 2)).isFalse();
	}

	@Test
	void readsAllPagesWhenMetaHasOnlyTheTotal() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("flockx/page-1.json").replace("\"has_next\": true,", ""))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("2"))
			.willReturn(okJson(read("flockx/page-2.json").replace("\"has_next\": false,", ""))));

		assertThat(fetch(SyncMode.FULL, null)).flatExtracting(SourcePage::items).hasSize(3);
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions")))).hasSize(2);
	}

	private void stubPages() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(read("flockx/page-1.json"))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("2"))
			.willReturn(okJson(read("flockx/page-2.json"))));
	}

	private List<SourcePage> fetch(SyncMode mode, Instant watermark, String... extra) {
		String[] base = { "type", "flockx", "api-key", "fx-key", "base-url", upstream.baseUrl() + "/api/v1",
				"page-size", "2", "overlap", "PT0S" };
		String[] properties = java.util.stream.Stream
			.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
			.toArray(String[]::new);
		String name = "fx-" + java.util.Arrays.hashCode(extra);
		upstream.resetRequests();
		return this.connector
			.fetch(TestConnections.request(this.connector, name, mode, watermark, RUN_START, properties))
			.filter((page) -> !page.end())
			.collectList()
			.block();
	}

}
