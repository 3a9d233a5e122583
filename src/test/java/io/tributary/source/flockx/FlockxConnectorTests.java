package io.tributary.source.flockx;

import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.interaction.InteractionStatus;
import io.tributary.interaction.Message;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.Existence;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import io.tributary.source.TestConnections;
import io.tributary.source.UpstreamClients;
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

class FlockxConnectorTests {

	private static final Instant RUN_START = Instant.parse("2026-11-23T12:00:00.123Z");

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	/** The stored items' raw, by source id, as the sync side would answer. */
	private final java.util.Map<String, tools.jackson.databind.JsonNode> stored = new java.util.HashMap<>();

	private final FlockxConnector connector = new FlockxConnector(new UpstreamClients(WebClient.builder()),
			new io.tributary.source.KnownVersions() {

				@Override
				public java.util.Map<String, Version> versions(String connection,
						java.util.Collection<String> sourceIds) {
					return java.util.Map.of();
				}

				@Override
				public java.util.Map<String, Version> withRaw(String connection,
						java.util.Collection<String> sourceIds) {
					java.util.Map<String, Version> versions = new java.util.HashMap<>();
					sourceIds.stream()
						.filter(FlockxConnectorTests.this.stored::containsKey)
						.forEach((id) -> versions.put(id,
								new Version(RUN_START, true, FlockxConnectorTests.this.stored.get(id))));
					return versions;
				}

			}, JsonMapper.builder().build());

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

	@Test
	void existenceIsAskedByTheListedIdWhenTheDetailAnswersIt() {
		upstream
			.stubFor(get(urlPathEqualTo("/api/v1/interactions/ev-probe")).willReturn(okJson("{\"id\":\"ev-probe\"}")));
		upstream
			.stubFor(get(urlPathEqualTo("/api/v1/interactions/ev-here")).willReturn(okJson("{\"id\":\"ev-here\"}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions/ev-gone"))
			.willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Not found.\"}")));

		assertThat(exists(List.of("ev-here", "ev-gone"), "ev-probe")).containsExactly(
				new Existence("ev-here", Existence.State.PRESENT), new Existence("ev-gone", Existence.State.GONE));
	}

	@Test
	void whenTheDetailTakesTheTurnsIdEachItemIsAskedByItsStoredTurn() {
		this.stored.put("ev-probe", raw("ev-probe", "turn-probe"));
		this.stored.put("ev-a", raw("ev-a", "turn-a"));
		this.stored.put("ev-b", raw("ev-b", "turn-b"));
		this.stored.put("ev-b2", raw("ev-b2", "turn-b"));
		this.stored.put("ev-c", JsonMapper.builder().build().readTree("{\"id\":\"ev-c\"}"));
		upstream.stubFor(get(urlPathMatching("/api/v1/interactions/ev-.*"))
			.willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Not found.\"}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions/turn-probe")).willReturn(okJson("{\"items\":[]}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions/turn-b")).willReturn(okJson("{\"items\":[]}")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions/turn-a"))
			.willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Not found.\"}")));

		assertThat(exists(List.of("ev-a", "ev-b", "ev-b2", "ev-c"), "ev-probe")).containsExactly(
				new Existence("ev-a", Existence.State.GONE), new Existence("ev-b", Existence.State.PRESENT),
				new Existence("ev-b2", Existence.State.PRESENT), new Existence("ev-c", Existence.State.UNKNOWN));
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions/turn-b"))))
			.as("a turn is asked once")
			.hasSize(1);
		assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/api/v1/interactions/ev-[abc].*"))))
			.as("once the probe showed the detail takes turns, items are not asked by their own id")
			.isEmpty();
	}

	@Test
	void aDetailThatAnswersTheProbeByNeitherIdDecidesNothing() {
		this.stored.put("ev-probe", raw("ev-probe", "turn-probe"));
		this.stored.put("ev-a", raw("ev-a", "turn-a"));
		upstream.stubFor(get(urlPathMatching("/api/v1/interactions/.+"))
			.willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Not found.\"}")));

		assertThat(exists(List.of("ev-a"), "ev-probe")).containsExactly(new Existence("ev-a", Existence.State.UNKNOWN));
	}

	private List<Existence> exists(List<String> ids, String probe) {
		return this.connector
			.exists(TestConnections.request(this.connector, "fx-exists", SyncMode.FULL, null, RUN_START, "type",
					"flockx", "api-key", "fx-key", "base-url", upstream.baseUrl() + "/api/v1"), ids, probe)
			.collectList()
			.block();
	}

	private static tools.jackson.databind.JsonNode raw(String id, String turn) {
		return JsonMapper.builder().build().readTree("{\"id\":\"" + id + "\",\"interaction_id\":\"" + turn + "\"}");
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
