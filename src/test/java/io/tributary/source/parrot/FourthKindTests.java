package io.tributary.source.parrot;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.TestApiKeys;
import io.tributary.TestPostgresConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * A fourth source kind, written only in the test sources, configured like any other and
 * synced end to end without a change to the main code: the connector is imported, a
 * connection of its kind is configured, and its interactions come out of the API,
 * filterable by their kind, which the status API and the OpenAPI document list too.
 */
@SpringBootTest(properties = { "tributary.sync.scheduling-enabled=false", "tributary.sources.parrot-test.type=parrot",
		"tributary.sources.parrot-test.api-key=parrot-secret-key", "tributary.sources.parrot-test.page-size=2",
		"tributary.sources.parrot-test.parrot.channel=general" })
@AutoConfigureMockMvc
@Import({ TestPostgresConfiguration.class, TestApiKeys.class, ParrotConnector.class })
class FourthKindTests {

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@DynamicPropertySource
	static void parrotUpstream(DynamicPropertyRegistry registry) {
		registry.add("tributary.sources.parrot-test.base-url", () -> upstream.baseUrl() + "/v2");
	}

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Test
	void aKindFromTheTestSourcesSyncsEndToEnd() throws Exception {
		upstream.stubFor(get(urlPathEqualTo("/v2/messages")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson("{\"messages\":[" + message("m3", "2026-11-20T10:02:00Z") + ","
					+ message("m2", "2026-11-20T10:01:00Z") + "],\"next\":true}")));
		upstream.stubFor(get(urlPathEqualTo("/v2/messages")).withQueryParam("page", equalTo("2"))
			.willReturn(okJson("{\"messages\":[" + message("m1", "2026-11-20T10:00:00Z") + "],\"next\":false}")));

		JsonNode started = this.json.readTree(this.mvc.perform(post("/api/v1/sources/parrot-test/sync?mode=full"))
			.andReturn()
			.getResponse()
			.getContentAsString());
		String run = "/api/v1/sync-runs/" + started.get("runId").asLong();
		await().atMost(Duration.ofSeconds(30)).until(() -> !"running".equals(read(run).get("outcome").asString()));

		assertThat(read(run).get("outcome").asString()).isEqualTo("succeeded");
		assertThat(read(run).get("inserted").asInt()).isEqualTo(3);
		JsonNode page = read("/api/v1/interactions?source=parrot");
		assertThat(page.get("items").valueStream().map((item) -> item.get("sourceId").asString()).toList())
			.isEqualTo(List.of("m3", "m2", "m1"));
		assertThat(page.at("/items/0/inputText").asString()).isEqualTo("question m3");
		assertThat(page.at("/items/0/connection").asString()).isEqualTo("parrot-test");
		JsonNode source = read("/api/v1/sources/parrot-test");
		assertThat(source.get("type").asString()).isEqualTo("parrot");
		assertThat(source.get("health").asString()).isEqualTo("healthy");
		assertThat(source.get("baseUrl").asString()).isEqualTo(upstream.baseUrl() + "/v2");
		JsonNode document = read("/v3/api-docs");
		assertThat(document.at("/components/schemas/InteractionSummary/properties/source/enum").toString())
			.contains("\"parrot\"", "\"greenflash\"");
		upstream.verify(getRequestedFor(urlPathEqualTo("/v2/messages")).withQueryParam("channel", equalTo("general"))
			.withQueryParam("size", equalTo("2"))
			.withHeader("Authorization", equalTo("Bearer parrot-secret-key")));
	}

	private JsonNode read(String uri) throws Exception {
		return this.json
			.readTree(this.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(uri))
				.andReturn()
				.getResponse()
				.getContentAsString());
	}

	private static String message(String id, String at) {
		return "{\"id\":\"" + id + "\",\"asked\":\"question " + id + "\",\"answered\":\"answer " + id + "\",\"at\":\""
				+ at + "\"}";
	}

}
