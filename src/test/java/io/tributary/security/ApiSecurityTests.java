package io.tributary.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.tributary.HttpEdgeTest;
import io.tributary.interaction.InteractionWriter;
import io.tributary.interaction.NormalizedInteraction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authentication and authorization matrix over real HTTP: no key, a wrong key, each
 * header form, each scope on each kind of endpoint, Actuator, Swagger UI, a key limited
 * to one connection, the rate limit and CORS.
 */
@HttpEdgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiSecurityTests {

	static final String FULL = HttpEdgeTest.FULL;

	static final String READER = HttpEdgeTest.READER;

	/** SHA-256 of {@link #READER}: the reader key is configured by digest only. */
	static final String READER_SHA256 = HttpEdgeTest.READER_SHA256;

	static final String OPERATOR = HttpEdgeTest.OPERATOR;

	static final String ZYLON_ONLY = HttpEdgeTest.ZYLON_ONLY;

	static final String SLOW = HttpEdgeTest.SLOW;

	static final String ZYLON_OPERATOR = HttpEdgeTest.ZYLON_OPERATOR;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private JsonMapper json;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private InteractionWriter writer;

	private UUID zylonInteraction;

	private UUID flockxInteraction;

	private long zylonRun;

	private long flockxRun;

	@BeforeAll
	void oneInteractionAndOneRunPerConnection() {
		this.jdbc.sql("TRUNCATE interaction, sync_run, sync_reject").update();
		Instant now = Instant.parse("2026-11-20T10:00:00Z");
		this.writer
			.write(List.of(NormalizedInteraction.builder("zylon", "zylon-support", "z-1").timestamps(now, now).build(),
					NormalizedInteraction.builder("flockx", "flockx-main", "f-1").timestamps(now, now).build()));
		this.zylonInteraction = idOf("zylon-support");
		this.flockxInteraction = idOf("flockx-main");
		this.zylonRun = run("zylon-support");
		this.flockxRun = run("flockx-main");
	}

	@Test
	void readerKeyIsConfiguredByItsDigest() {
		assertThat(java.util.HexFormat.of().formatHex(io.tributary.common.Digests.sha256(READER)))
			.isEqualTo(READER_SHA256);
	}

	@Test
	void withoutAKeyTheApiAnswers401ProblemsWithAChallenge() throws Exception {
		for (String path : List.of("/api/v1/interactions", "/api/v1/sources", "/api/v1/sync-runs",
				"/api/v1/interactions/" + this.zylonInteraction, "/api/v1/no-such-endpoint")) {
			HttpResponse<String> response = send(get(path));
			assertThat(response.statusCode()).as(path).isEqualTo(401);
			assertProblem(response);
			assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tributary\"");
			assertThat(response.body()).doesNotContain("zylon-support", "flockx-main");
		}
		assertThat(send(post("/api/v1/sources/zylon-support/sync")).statusCode()).isEqualTo(401);
	}

	@Test
	void aWrongKeyIs401InvalidTokenInEitherHeader() throws Exception {
		for (HttpRequest.Builder request : List.of(get("/api/v1/interactions").header("X-API-Key", FULL + "x"),
				get("/api/v1/interactions").header("Authorization", "Bearer " + FULL.substring(1)),
				get("/api/v1/interactions").header("Authorization", "Bearer "))) {
			HttpResponse<String> response = send(request);
			assertThat(response.statusCode()).isEqualTo(401);
			assertProblem(response);
			assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
			assertThat(response.body()).doesNotContain(FULL.substring(1));
		}
		assertThat(send(get("/api/v1/interactions").header("Authorization", "Basic " + FULL)).statusCode())
			.as("another scheme is no key")
			.isEqualTo(401);
	}

	@Test
	void eachHeaderFormIsAccepted() throws Exception {
		assertThat(send(get("/api/v1/interactions").header("X-API-Key", FULL)).statusCode()).isEqualTo(200);
		assertThat(send(get("/api/v1/interactions").header("Authorization", "Bearer " + FULL)).statusCode())
			.isEqualTo(200);
		assertThat(send(get("/api/v1/interactions").header("Authorization", "bearer " + READER)).statusCode())
			.isEqualTo(200);
		assertThat(send(get("/api/v1/interactions").header("Authorization", "Bearer " + READER)
			.header("X-API-Key", "not-a-key-at-all-00000")).statusCode()).as("Authorization wins").isEqualTo(200);
	}

	@Test
	void scopesDecideWhatAKeyMayDo() throws Exception {
		HttpResponse<String> readerTriggers = send(post("/api/v1/sources/nope/sync").header("X-API-Key", READER));
		assertThat(readerTriggers.statusCode()).isEqualTo(403);
		assertProblem(readerTriggers);
		assertThat(readerTriggers.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope",
				"scope=\"operate\"");
		assertThat(send(post("/api/v1/sources/nope/sync").header("X-API-Key", OPERATOR)).statusCode())
			.as("past security: the connection does not exist")
			.isEqualTo(404);
		HttpResponse<String> operatorReads = send(get("/api/v1/interactions").header("X-API-Key", OPERATOR));
		assertThat(operatorReads.statusCode()).isEqualTo(403);
		assertThat(operatorReads.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"read\"");
		assertThat(send(get("/api/v1/sources").header("X-API-Key", FULL)).statusCode()).isEqualTo(200);
	}

	@Test
	void actuatorBeyondHealthNeedsOperate() throws Exception {
		assertThat(send(get("/actuator/health")).statusCode()).isEqualTo(200);
		assertThat(send(get("/actuator/health/liveness")).statusCode()).isEqualTo(200);
		assertThat(send(get("/actuator/health/readiness")).statusCode()).isEqualTo(200);
		for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator")) {
			assertThat(send(get(path)).statusCode()).as(path).isEqualTo(401);
			assertThat(send(get(path).header("X-API-Key", READER)).statusCode()).as(path).isEqualTo(403);
			assertThat(send(get(path).header("X-API-Key", OPERATOR)).statusCode()).as(path).isEqualTo(200);
		}
	}

	@Test
	void actuatorBeyondTheStatusIsForKeysThatSeeEveryConnection() throws Exception {
		for (String path : List.of("/actuator/prometheus", "/actuator/metrics",
				"/actuator/metrics/http.server.requests", "/actuator")) {
			HttpResponse<String> limited = send(get(path).header("X-API-Key", ZYLON_OPERATOR));
			assertThat(limited.statusCode()).as(path).isEqualTo(403);
			assertProblem(limited);
			assertThat(body(limited).get("detail").asString()).contains("'zylon-operator'", "limited to",
					"every connection");
			assertThat(limited.body()).doesNotContain("flockx-main");
			assertThat(send(get(path).header("X-API-Key", OPERATOR)).statusCode()).as(path).isEqualTo(200);
		}
		assertThat(send(get("/actuator/prometheus").header("X-API-Key", OPERATOR)).body())
			.as("what a limited key may not see")
			.contains("flockx-main");

		JsonNode limited = body(send(get("/actuator/health").header("X-API-Key", ZYLON_OPERATOR)));
		assertThat(limited.get("status").asString()).isEqualTo("UP");
		assertThat(limited.has("components")).as("the status only, as without a key").isFalse();
		HttpResponse<String> component = send(
				get("/actuator/health/connections/flockx-main").header("X-API-Key", ZYLON_OPERATOR));
		assertThat(component.statusCode()).isEqualTo(404);
		assertThat(component.body()).isEqualTo(send(get("/actuator/health/connections/flockx-main")).body());
		JsonNode unlimited = body(send(get("/actuator/health").header("X-API-Key", OPERATOR)));
		assertThat(unlimited.at("/components/connections/components").propertyNames()).contains("zylon-support",
				"flockx-main");

		assertThat(send(post("/api/v1/sources/nope/sync").header("X-API-Key", ZYLON_OPERATOR)).statusCode())
			.as("its own connections it still operates: past security, the connection does not exist")
			.isEqualTo(404);
	}

	@Test
	void swaggerUiAndTheDocumentNeedNoKey() throws Exception {
		HttpResponse<String> ui = send(get("/swagger-ui/index.html"));
		assertThat(ui.statusCode()).isEqualTo(200);
		assertThat(ui.body()).contains("swagger-ui");
		assertThat(send(get("/swagger-ui.html")).statusCode()).isIn(200, 302);
		HttpResponse<String> document = send(get("/v3/api-docs"));
		assertThat(document.statusCode()).isEqualTo(200);
		assertThat(document.body()).contains("/api/v1/interactions");
	}

	@Test
	void anEstimatedTotalTellsALimitedKeyNothingOfOtherConnections() throws Exception {
		Instant at = Instant.parse("2026-11-20T11:00:00Z");
		List<NormalizedInteraction> others = new java.util.ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			others.add(NormalizedInteraction.builder("flockx", "flockx-main", "other-" + i)
				.timestamps(at, at)
				.model("flockx-only-model")
				.build());
		}
		this.writer.write(others);
		try {
			// the planner's statistics cover every connection: an estimate would tell
			// this key how much the others hold of a model, a word, a thread
			this.jdbc.sql("ANALYZE interaction").update();
			JsonNode estimated = body(send(get("/api/v1/interactions?model=flockx-only-model&includeTotal=estimated")
				.header("X-API-Key", ZYLON_ONLY)));
			assertThat(estimated.at("/page/total").asLong()).as("a count of its own rows, not the planner's").isZero();
			assertThat(estimated.at("/page/totalIsEstimate").asBoolean()).isFalse();
			assertThat(body(send(get("/api/v1/interactions?model=flockx-only-model&includeTotal=estimated")
				.header("X-API-Key", FULL))).at("/page/totalIsEstimate").asBoolean())
				.as("an unlimited key still gets the planner's estimate")
				.isTrue();
		}
		finally {
			this.jdbc.sql("DELETE FROM interaction WHERE source_id LIKE 'other-%'").update();
		}
	}

	@Test
	void aKeyLimitedToAConnectionSeesNothingElse() throws Exception {
		JsonNode list = body(send(get("/api/v1/interactions").header("X-API-Key", ZYLON_ONLY)));
		assertThat(list.get("items").valueStream().map((item) -> item.get("connection").asString()))
			.containsExactly("zylon-support");
		assertThat(body(send(
				get("/api/v1/interactions?connection=flockx-main&includeTotal=true").header("X-API-Key", ZYLON_ONLY)))
			.at("/page/total")
			.asLong()).isZero();
		assertThat(body(send(get("/api/v1/interactions?includeTotal=true").header("X-API-Key", ZYLON_ONLY)))
			.at("/page/total")
			.asLong()).isOne();
		JsonNode stats = body(
				send(get("/api/v1/interactions/stats?groupBy=connection").header("X-API-Key", ZYLON_ONLY)));
		assertThat(stats.get("computedFrom").asString()).as("the rollups carry the connection").isEqualTo("rollups");
		assertThat(stats.get("groups").valueStream().map((group) -> group.at("/key/connection").asString()))
			.containsExactly("zylon-support");

		assertThat(
				send(get("/api/v1/interactions/" + this.zylonInteraction).header("X-API-Key", ZYLON_ONLY)).statusCode())
			.isEqualTo(200);
		JsonNode sources = body(send(get("/api/v1/sources").header("X-API-Key", ZYLON_ONLY)));
		assertThat(sources.valueStream().map((source) -> source.get("connection").asString()))
			.containsExactly("zylon-support");
		JsonNode runs = body(send(get("/api/v1/sync-runs").header("X-API-Key", ZYLON_ONLY)));
		assertThat(runs.get("items").valueStream().map((run) -> run.get("id").asLong())).containsExactly(this.zylonRun);
		assertThat(send(get("/api/v1/sync-runs/" + this.zylonRun).header("X-API-Key", ZYLON_ONLY)).statusCode())
			.isEqualTo(200);
		assertThat(send(get("/api/v1/sources/zylon-support/rejects").header("X-API-Key", ZYLON_ONLY)).statusCode())
			.isEqualTo(200);
		List<List<String>> hiddenAndMissing = List.of(
				List.of("/api/v1/interactions/" + this.flockxInteraction, "/api/v1/interactions/" + UUID.randomUUID()),
				List.of("/api/v1/sources/flockx-main", "/api/v1/sources/no-such-connection"),
				List.of("/api/v1/sources/flockx-main/rejects", "/api/v1/sources/no-such-connection/rejects"),
				List.of("/api/v1/sync-runs?connection=flockx-main", "/api/v1/sync-runs?connection=no-such-connection"),
				List.of("/api/v1/sync-runs/" + this.flockxRun, "/api/v1/sync-runs/999999"));
		for (List<String> pair : hiddenAndMissing) {
			String path = pair.get(0);
			HttpResponse<String> hidden = send(get(path).header("X-API-Key", ZYLON_ONLY));
			HttpResponse<String> missing = send(get(pair.get(1)).header("X-API-Key", ZYLON_ONLY));
			assertThat(hidden.statusCode()).as(path).isEqualTo(404);
			assertThat(missing.statusCode()).as(path).isEqualTo(404);
			assertProblem(hidden);
			assertThat(body(hidden).get("title")).isEqualTo(body(missing).get("title"));
			assertThat(hidden.body()).as("as if it did not exist").doesNotContain("flockx-main;", "flockx-main,");
		}
		assertThat(send(get("/api/v1/interactions/" + this.flockxInteraction).header("X-API-Key", FULL)).statusCode())
			.as("an unlimited key sees it")
			.isEqualTo(200);
	}

	@Test
	void eachKeyHasItsOwnRateLimit() throws Exception {
		for (int remaining = 2; remaining >= 0; remaining--) {
			HttpResponse<String> allowed = send(get("/api/v1/sources").header("X-API-Key", SLOW));
			assertThat(allowed.statusCode()).isEqualTo(200);
			assertThat(allowed.headers().firstValue("RateLimit-Limit")).hasValue("3");
			assertThat(allowed.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(remaining));
			assertThat(Long.parseLong(allowed.headers().firstValue("RateLimit-Reset").orElseThrow())).isPositive();
		}
		HttpResponse<String> limited = send(get("/api/v1/sources").header("X-API-Key", SLOW));
		assertThat(limited.statusCode()).isEqualTo(429);
		assertProblem(limited);
		assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 1200L);
		assertThat(body(limited).get("detail").asString()).contains("'slow'", "3 requests");
		assertThat(send(get("/api/v1/sources").header("X-API-Key", READER)).statusCode())
			.as("other keys are not limited by it")
			.isEqualTo(200);
	}

	@Test
	void corsPreflightIsAnsweredForConfiguredOriginsOnly() throws Exception {
		HttpResponse<String> allowed = send(preflight("https://dash.example.com"));
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://dash.example.com");
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
			.contains("x-api-key");
		HttpResponse<String> refused = send(preflight("https://evil.example.com"));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertProblem(refused);
		assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		HttpResponse<String> actual = send(
				get("/api/v1/sources").header("Origin", "https://dash.example.com").header("X-API-Key", FULL));
		assertThat(actual.statusCode()).isEqualTo(200);
		assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://dash.example.com");
		assertThat(actual.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
			.contains("RateLimit-Remaining");
	}

	private HttpRequest.Builder preflight(String origin) {
		return request("/api/v1/interactions").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", origin)
			.header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "x-api-key");
	}

	private UUID idOf(String connection) {
		return this.jdbc.sql("SELECT id FROM interaction WHERE connection = ?")
			.param(connection)
			.query(UUID.class)
			.single();
	}

	private long run(String connection) {
		return this.jdbc
			.sql("INSERT INTO sync_run (connection, mode, outcome, finished_at) "
					+ "VALUES (?, 'incremental', 'succeeded', now()) RETURNING id")
			.param(connection)
			.query(Long.class)
			.single();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private HttpRequest.Builder get(String path) {
		return request(path).GET();
	}

	private HttpRequest.Builder post(String path) {
		return request(path).POST(HttpRequest.BodyPublishers.noBody());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode body(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isLessThan(500);
		return this.json.readTree(response.body());
	}

	private void assertProblem(HttpResponse<String> response) {
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
		assertThat(problem.get("detail").asString()).isNotBlank();
	}

}
