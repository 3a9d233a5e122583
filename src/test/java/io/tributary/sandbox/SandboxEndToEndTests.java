package io.tributary.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.tributary.TestApiKeys;
import io.tributary.security.ApiSecurityProperties;
import io.tributary.sandbox.SandboxData.Item;
import io.tributary.sandbox.SandboxTestSupport.Gateway;
import io.tributary.sandbox.SandboxTestSupport.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The demo profile end to end: the gateway syncs the three simulated upstreams it serves
 * over real HTTP, and every sandbox interaction is then in the API exactly once; moving
 * the sandbox's time forward brings late ratings and completions, which the next run
 * picks up.
 * <p>
 * Time is the test's: the application's clock ({@link SandboxTestSupport#CLOCK}) stands
 * still, from {@link SandboxTestSupport#START} on, and moves only when a test moves it,
 * so the sandbox shows the same data on every run and nothing changes between a sync run
 * and the assertions on it. The server listens on a port of its own choosing; the demo
 * connections' base URLs ({@code http://localhost:${server.port}/sandbox/…}) therefore
 * name port 0, and {@link SandboxTestSupport.ServerChosenPort} sends their calls to the
 * port the server actually took.
 */
@SandboxTest
class SandboxEndToEndTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Autowired
	private SandboxData sandbox;

	@Autowired
	private io.micrometer.core.instrument.MeterRegistry meters;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private org.springframework.core.env.Environment environment;

	private static final TestClock CLOCK = SandboxTestSupport.CLOCK;

	private Gateway gateway;

	/** Replaces the application's clock: the sandbox and the sync runs both read it. */
	@TestBean(methodName = SandboxTestSupport.CLOCK_FACTORY)
	private Clock clock;

	@BeforeEach
	void gateway() {
		this.gateway = new Gateway(this.mvc, this.json, this.jdbc);
	}

	@Test
	void syncMetricsAndHealthNameTheConnectionAndFollowTheClock() throws Exception {
		this.gateway.reset();
		syncAll("full");
		JsonNode healthy = health("/actuator/health", 200);
		for (String connection : List.of("greenflash-demo", "zylon-demo", "flockx-demo")) {
			JsonNode component = healthy.at("/components/connections/components/" + connection);
			assertThat(component.get("status").asString()).as(connection).isEqualTo("UP");
			assertThat(component.at("/details/health").asString()).isEqualTo("healthy");
			assertThat(component.at("/details/lagSeconds").asLong()).isLessThan(60);
		}

		for (String connection : List.of("greenflash-demo", "zylon-demo", "flockx-demo")) {
			assertThat(this.meters.get("tributary.sync.records")
				.tags("connection", connection, "action", "inserted")
				.counter()
				.count()).isPositive();
			assertThat(this.meters.get("tributary.sync.lag").tag("connection", connection).gauge().value())
				.isLessThan(60);
		}
		// Flockx carries no rating, only reactions: they become one, so rollups cover it
		JsonNode reacted = getJson("/api/v1/interactions?source=flockx&minRating=0&limit=1").at("/items/0/rating");
		assertThat(reacted.get("source").asString()).isEqualTo("reactions");
		assertThat(reacted.get("normalized").asDouble()).isBetween(0.0, 1.0);
		assertThat(getJson("/api/v1/interactions?source=greenflash&minRating=0&limit=1").at("/items/0/rating/source")
			.asString()).isEqualTo("upstream");
		JsonNode bySource = getJson("/api/v1/interactions/stats?groupBy=source").get("groups");
		for (JsonNode group : bySource) {
			long rated = group.get("ratedCount").asLong();
			if (group.at("/key/source").asString().equals("zylon")) {
				assertThat(rated).as("the demo's Zylon connection fetches no feedback").isZero();
			}
			else {
				assertThat(rated).as(group.get("key").toString()).isPositive();
			}
		}
		String scrape = this.mvc.perform(get("/actuator/prometheus")).andReturn().getResponse().getContentAsString();
		assertThat(scrape).contains(
				"tributary_sync_runs_seconds_count{application=\"tributary\",connection=\"zylon-demo\",mode=\"full\",outcome=\"succeeded\"}",
				"tributary_sync_records_total{action=\"inserted\",application=\"tributary\",connection=\"zylon-demo\"}",
				"tributary_sync_lag_seconds{application=\"tributary\",connection=\"zylon-demo\"}",
				"tributary_sync_progress_items{application=\"tributary\",connection=\"zylon-demo\"} NaN",
				"tributary_sync_progress_expected_items{application=\"tributary\",connection=\"flockx-demo\"} NaN",
				"http_server_requests_seconds_bucket{", "http_client_requests_seconds_bucket{");
		assertThat(scrape.lines()
			.filter((line) -> line.startsWith("http_client_requests_seconds_count{")
					&& line.contains("connection=\"zylon-demo\"")
					&& line.contains("uri=\"/sandbox/zylon/api/v1/app/project/{projectId}/interaction\""))
			.count()).isPositive();
		assertThat(scrape).doesNotContain("proj-support/interaction");

		// the runs are recorded on the database's clock, which the test cannot move: the
		// runs move back instead, three minutes, past 3 poll intervals (PT20S)
		this.jdbc
			.sql("UPDATE sync_run SET started_at = started_at - interval '3 minutes', "
					+ "finished_at = finished_at - interval '3 minutes'")
			.update();
		assertThat(this.meters.get("tributary.sync.lag").tag("connection", "zylon-demo").gauge().value())
			.isBetween(180.0, 240.0);

		// stale, and the root says so, while both probes stay up
		JsonNode stale = health("/actuator/health", 503);
		assertThat(stale.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
		JsonNode zylon = stale.at("/components/connections/components/zylon-demo");
		assertThat(zylon.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
		assertThat(zylon.at("/details/lagSeconds").asLong()).isBetween(180L, 240L);
		assertThat(zylon.at("/details/stale").asBoolean()).isTrue();
		assertThat(getJson("/api/v1/sources/zylon-demo").get("stale").asBoolean()).isTrue();
		// every data answer says so, for the connections that could contribute to it
		// (kept for up to 2 s)
		JsonNode partial = org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> getJson("/api/v1/interactions?source=zylon&limit=1").get("freshness"),
					(freshness) -> freshness.get("partial").asBoolean());
		assertThat(partial.get("connections")).hasSize(1);
		assertThat(partial.at("/connections/0/connection").asString()).isEqualTo("zylon-demo");
		assertThat(partial.at("/connections/0/stale").asBoolean()).isTrue();
		assertThat(partial.at("/connections/0/lagSeconds").asLong()).isBetween(180L, 240L);
		JsonNode stats = getJson("/api/v1/interactions/stats?groupBy=source").get("freshness");
		assertThat(stats.get("partial").asBoolean()).isTrue();
		assertThat(stats.get("connections")).hasSize(3);
		assertThat(health("/actuator/health/liveness", 200).get("status").asString()).isEqualTo("UP");
		JsonNode ready = health("/actuator/health/readiness", 200);
		assertThat(ready.at("/components/db/status").asString()).isEqualTo("UP");
		assertThat(ready.at("/components/connections").isMissingNode()).isTrue();

		// the next successful run makes it healthy again
		syncAll("incremental");
		assertThat(
				health("/actuator/health", 200).at("/components/connections/components/zylon-demo/status").asString())
			.isEqualTo("UP");
	}

	private JsonNode health(String path, int status) throws Exception {
		var response = this.mvc.perform(get(path)).andReturn().getResponse();
		assertThat(response.getStatus()).as(path + ": " + response.getContentAsString()).isEqualTo(status);
		return this.json.readTree(response.getContentAsString());
	}

	@Test
	void everySandboxInteractionArrivesOnceAndLateRatingsFollow() throws Exception {
		this.gateway.reset();
		syncAll("full");

		assertThat(sourceIds("greenflash-demo")).isEqualTo(SandboxTestSupport.ids(this.sandbox.visible("greenflash")));
		assertThat(sourceIds("zylon-demo")).isEqualTo(SandboxTestSupport.ids(this.sandbox.visible("zylon")));
		assertThat(count("flockx-demo")).isEqualTo(flockxEvents());
		assertThat(count("greenflash-demo")).isEqualTo(this.sandbox.visible("greenflash").size());
		JsonNode sources = getJson("/api/v1/sources");
		assertThat(sources).hasSize(3);
		sources.forEach((source) -> assertThat(source.get("health").asString()).isEqualTo("healthy"));
		for (String source : List.of("greenflash", "zylon", "flockx")) {
			JsonNode page = getJson("/api/v1/interactions?source=" + source + "&includeTotal=true&limit=1");
			assertThat(page.at("/page/total").asLong()).isPositive();
		}
		assertThat(this.jdbc.sql("SELECT count(*) FROM interaction WHERE raw::text LIKE '%mcp-secret-%'")
			.query(Long.class)
			.single()).as("Zylon MCP tokens are never stored").isZero();

		// ten minutes later: new interactions, late ratings, completed answers
		Instant before = this.sandbox.now();
		CLOCK.advance(Duration.ofMinutes(10));
		Item lateRated = this.sandbox.visible("greenflash")
			.stream()
			.filter((item) -> item.ratedAt() != null && item.ratedAt().isAfter(before)
					&& !item.ratedAt().isAfter(this.sandbox.now()))
			.findFirst()
			.orElseThrow();
		assertThat(ratingOf("greenflash-demo", lateRated.id()).isNull()).isTrue();
		Item storedThenRated = this.sandbox.visible("greenflash")
			.stream()
			.filter((item) -> !item.createdAt().isAfter(before) && item.ratedAt() != null
					&& item.ratedAt().isAfter(before) && !item.ratedAt().isAfter(this.sandbox.now()))
			.findFirst()
			.orElseThrow();
		assertThat(sourceIds("greenflash-demo")).contains(storedThenRated.id());
		assertThat(ratingOf("greenflash-demo", storedThenRated.id()).isNull()).isTrue();

		syncAll("incremental");

		assertThat(ratingOf("greenflash-demo", lateRated.id()).asInt()).isEqualTo(lateRated.rating());
		assertThat(ratingOf("greenflash-demo", storedThenRated.id()).asInt()).as("a stored interaction rated late")
			.isEqualTo(storedThenRated.rating());
		assertThat(sourceIds("greenflash-demo")).isEqualTo(SandboxTestSupport.ids(this.sandbox.visible("greenflash")));
		assertThat(sourceIds("zylon-demo")).isEqualTo(SandboxTestSupport.ids(this.sandbox.visible("zylon")));
		assertThat(count("flockx-demo")).isEqualTo(flockxEvents());
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM interaction WHERE connection = 'flockx-demo' "
					+ "AND status = 'in_progress' AND created_at < ?")
			.param(java.sql.Timestamp.from(this.sandbox.now().minusSeconds(300)))
			.query(Long.class)
			.single()).as("answers that completed upstream are completed here").isZero();
	}

	@Autowired
	private ApiSecurityProperties security;

	@Test
	void brokenPercentEscapesOverRealHttpAre400ProblemsNamingTheParameter() throws Exception {
		int port = this.environment.getRequiredProperty("local.server.port", Integer.class);
		for (String query : List.of("/api/v1/interactions?limit=%zz", "/api/v1/interactions?q=ab%zz",
				"/api/v1/sync-runs?cursor=%zz", "/api/v1/sources/zylon-demo/rejects?limit=%z")) {
			// sent as raw bytes: HTTP clients refuse to build such a URL, servers still
			// receive them
			String response;
			try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
				socket.getOutputStream()
					.write(("GET " + query + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
							+ TestApiKeys.fullKey(this.security) + "\r\nConnection: close\r\n\r\n")
						.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
				response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			}
			assertThat(response).as(query).startsWith("HTTP/1.1 400").contains("application/problem+json");
			String body = response.substring(response.indexOf("{"), response.lastIndexOf("}") + 1);
			JsonNode problem = this.json.readTree(body);
			assertThat(problem.get("parameter").asString()).as(query)
				.isEqualTo(query.replaceAll(".*\\?(\\w+)=.*", "$1"));
			assertThat(problem.get("detail").asString()).contains("percent-encoded").doesNotContain("Exception");
		}
	}

	@Test
	void statusApiAnswersProblemsForUnknownConnectionsAndConflicts() throws Exception {
		assertThat(this.mvc.perform(get("/api/v1/sources/nope")).andReturn().getResponse().getStatus()).isEqualTo(404);
		assertThat(this.mvc.perform(post("/api/v1/sources/nope/sync")).andReturn().getResponse().getStatus())
			.isEqualTo(404);
		var renormalize = this.mvc.perform(post("/api/v1/admin/renormalize").param("connection", "flockx-demo"))
			.andReturn()
			.getResponse();
		assertThat(renormalize.getStatus()).isEqualTo(202);
		JsonNode renormalized = this.gateway
			.awaitRun(this.json.readTree(renormalize.getContentAsString()).get("runId").asLong());
		assertThat(renormalized.get("outcome").asString()).isEqualTo("succeeded");
		assertThat(renormalized.get("mode").asString()).isEqualTo("renormalize");
		assertThat(this.mvc.perform(post("/api/v1/admin/renormalize").param("connection", "nope"))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(404);
		assertThat(this.mvc.perform(post("/api/v1/admin/renormalize")).andReturn().getResponse().getStatus())
			.isEqualTo(400);
		assertThat(this.mvc.perform(post("/api/v1/sources/zylon-demo/sync").param("mode", "renormalize"))
			.andReturn()
			.getResponse()
			.getContentAsString()).contains("POST /api/v1/admin/renormalize");
		assertThat(this.mvc.perform(post("/api/v1/sources/zylon-demo/sync").param("mode", "sometimes"))
			.andReturn()
			.getResponse()
			.getContentAsString()).contains("allowed values: incremental, full");
		assertThat(this.mvc.perform(get("/api/v1/sync-runs").param("connection", "nope"))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(404);
		assertThat(this.mvc.perform(get("/api/v1/sync-runs").param("cursor", "bogus"))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(400);
		// another replica is running flockx-demo: it holds the connection's lock and its
		// run is recorded as running
		this.jdbc
			.sql("INSERT INTO shedlock (name, lock_until, locked_at, locked_by) "
					+ "VALUES ('sync-flockx-demo', now() + interval '1 minute', now(), 'another-replica') "
					+ "ON CONFLICT (name) DO UPDATE SET lock_until = excluded.lock_until, "
					+ "locked_at = excluded.locked_at, locked_by = excluded.locked_by")
			.update();
		Long running = this.jdbc
			.sql("INSERT INTO sync_run (connection, mode) VALUES ('flockx-demo', 'full') RETURNING id")
			.query(Long.class)
			.single();
		try {
			var conflict = this.mvc.perform(post("/api/v1/sources/flockx-demo/sync")).andReturn().getResponse();
			assertThat(conflict.getStatus()).isEqualTo(409);
			assertThat(conflict.getContentType()).isEqualTo("application/problem+json");
			assertThat(getJson("/api/v1/sources/flockx-demo").get("running").asBoolean()).isTrue();
		}
		finally {
			this.jdbc.sql("DELETE FROM sync_run WHERE id = ?").param(running).update();
			this.jdbc.sql("UPDATE shedlock SET lock_until = now() WHERE name = 'sync-flockx-demo'").update();
		}
	}

	private void syncAll(String mode) throws Exception {
		for (String connection : SandboxTestSupport.CONNECTIONS) {
			JsonNode run = this.gateway.awaitRun(this.gateway.trigger(connection, mode));
			assertThat(run.get("outcome").asString()).as(connection + ": " + run).isEqualTo("succeeded");
		}
		JsonNode history = getJson("/api/v1/sync-runs?limit=2");
		assertThat(history.get("items")).hasSize(2);
		assertThat(history.at("/page/hasNext").asBoolean()).isTrue();
		JsonNode next = getJson("/api/v1/sync-runs?limit=2&cursor=" + history.at("/page/nextCursor").asString());
		assertThat(next.at("/items/0/id").asLong()).isLessThan(history.at("/items/1/id").asLong());
	}

	private JsonNode getJson(String uri) throws Exception {
		return this.gateway.getJson(uri);
	}

	private JsonNode ratingOf(String connection, String sourceId) {
		return this.gateway.ratingOf(connection, sourceId);
	}

	private Set<String> sourceIds(String connection) {
		return this.gateway.sourceIds(connection);
	}

	private long count(String connection) {
		return this.gateway.count(connection);
	}

	private long flockxEvents() {
		return SandboxTestSupport.flockxEvents(this.sandbox);
	}

}
