package io.tributary.sandbox;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.tributary.TestPostgresConfiguration;
import io.tributary.sandbox.SandboxData.Item;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The demo profile end to end: the gateway syncs the three simulated upstreams it serves
 * over real HTTP, and every sandbox interaction is then in the API exactly once; moving
 * the sandbox's time forward brings late ratings and completions, which the next run
 * picks up.
 * <p>
 * Time is the test's: the application's clock stands still at {@link #START} and moves
 * only when the test moves it, so the sandbox shows the same data on every run and
 * nothing changes between a sync run and the assertions on it. The server listens on a
 * port of its own choosing; the demo connections' base URLs
 * ({@code http://localhost:${server.port}/sandbox/…}) therefore name port 0, and
 * {@link ServerChosenPort} sends their calls to the port the server actually took.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "tributary.sync.scheduling-enabled=false")
@ActiveProfiles("demo")
@AutoConfigureMockMvc
@Import({ TestPostgresConfiguration.class, SandboxEndToEndTests.ServerChosenPort.class })
class SandboxEndToEndTests {

	/** When the sandbox starts: its 30 days of history end here. */
	static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

	/** A clock that stands still until the test moves it. */
	static final class TestClock extends Clock {

		private final AtomicReference<Instant> now;

		TestClock(Instant start) {
			this.now = new AtomicReference<>(start);
		}

		void advance(Duration duration) {
			this.now.updateAndGet((instant) -> instant.plus(duration));
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

	}

	/**
	 * Points the calls the gateway makes to {@code localhost:0} (the demo connections,
	 * built from {@code server.port=0} when the context starts) at the port the server
	 * chose, which is only known once it listens.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class ServerChosenPort {

		@Bean
		WebClientCustomizer sandboxOnServerChosenPort(Environment environment) {
			return (builder) -> builder
				.filter((request, next) -> next.exchange(onServerChosenPort(request, environment)));
		}

		private static ClientRequest onServerChosenPort(ClientRequest request, Environment environment) {
			URI url = request.url();
			if (!"localhost".equals(url.getHost()) || url.getPort() != 0) {
				return request;
			}
			int port = environment.getRequiredProperty("local.server.port", Integer.class);
			return ClientRequest.from(request)
				.url(UriComponentsBuilder.fromUri(url).port(port).build(true).toUri())
				.build();
		}

	}

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Autowired
	private SandboxData sandbox;

	@Autowired
	private JdbcClient jdbc;

	private static final TestClock CLOCK = new TestClock(START);

	/** Replaces the application's clock: the sandbox and the sync runs both read it. */
	@TestBean
	private Clock clock;

	static Clock clock() {
		return CLOCK;
	}

	@Test
	void everySandboxInteractionArrivesOnceAndLateRatingsFollow() throws Exception {
		this.jdbc.sql("TRUNCATE interaction").update();
		this.jdbc.sql("DELETE FROM sync_stream").update();
		syncAll("full");

		assertThat(sourceIds("greenflash-demo")).isEqualTo(ids(this.sandbox.visible("greenflash")));
		assertThat(sourceIds("zylon-demo")).isEqualTo(ids(this.sandbox.visible("zylon")));
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
		assertThat(sourceIds("greenflash-demo")).isEqualTo(ids(this.sandbox.visible("greenflash")));
		assertThat(sourceIds("zylon-demo")).isEqualTo(ids(this.sandbox.visible("zylon")));
		assertThat(count("flockx-demo")).isEqualTo(flockxEvents());
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM interaction WHERE connection = 'flockx-demo' "
					+ "AND status = 'in_progress' AND created_at < ?")
			.param(java.sql.Timestamp.from(this.sandbox.now().minusSeconds(300)))
			.query(Long.class)
			.single()).as("answers that completed upstream are completed here").isZero();
	}

	@Test
	void statusApiAnswersProblemsForUnknownConnectionsAndConflicts() throws Exception {
		assertThat(this.mvc.perform(get("/api/v1/sources/nope")).andReturn().getResponse().getStatus()).isEqualTo(404);
		assertThat(this.mvc.perform(post("/api/v1/sources/nope/sync")).andReturn().getResponse().getStatus())
			.isEqualTo(404);
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
		for (String connection : List.of("greenflash-demo", "zylon-demo", "flockx-demo")) {
			var response = this.mvc.perform(post("/api/v1/sources/" + connection + "/sync").param("mode", mode))
				.andReturn()
				.getResponse();
			assertThat(response.getStatus()).isEqualTo(202);
			long id = this.json.readTree(response.getContentAsString()).get("runId").asLong();
			JsonNode run = awaitRun(id);
			assertThat(run.get("outcome").asString()).as(connection + ": " + run).isEqualTo("succeeded");
		}
		JsonNode history = getJson("/api/v1/sync-runs?limit=2");
		assertThat(history.get("items")).hasSize(2);
		assertThat(history.at("/page/hasNext").asBoolean()).isTrue();
		JsonNode next = getJson("/api/v1/sync-runs?limit=2&cursor=" + history.at("/page/nextCursor").asString());
		assertThat(next.at("/items/0/id").asLong()).isLessThan(history.at("/items/1/id").asLong());
	}

	/** The run once it has ended, whatever its outcome. */
	private JsonNode awaitRun(long id) {
		return await("sync run " + id + " to end").atMost(Duration.ofSeconds(60))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> getJson("/api/v1/sync-runs/" + id), (run) -> !"running".equals(run.get("outcome").asString()));
	}

	private JsonNode getJson(String uri) throws Exception {
		return this.json.readTree(this.mvc.perform(get(uri)).andReturn().getResponse().getContentAsString());
	}

	private JsonNode ratingOf(String connection, String sourceId) {
		String value = this.jdbc.sql("SELECT rating::text FROM interaction WHERE connection = ? AND source_id = ?")
			.param(connection)
			.param(sourceId)
			.query(String.class)
			.optional()
			.orElse(null);
		return (value == null) ? tools.jackson.databind.node.NullNode.getInstance() : this.json.readTree(value);
	}

	private Set<String> sourceIds(String connection) {
		return new HashSet<>(this.jdbc.sql("SELECT source_id FROM interaction WHERE connection = ?")
			.param(connection)
			.query(String.class)
			.list());
	}

	private long count(String connection) {
		return this.jdbc.sql("SELECT count(*) FROM interaction WHERE connection = ?")
			.param(connection)
			.query(Long.class)
			.single();
	}

	private static Set<String> ids(List<Item> items) {
		Set<String> ids = new HashSet<>();
		items.forEach((item) -> ids.add(item.id()));
		return ids;
	}

	/**
	 * Two message events per exchange: the user's (from its creation) and the agent's
	 * (two seconds later).
	 */
	private long flockxEvents() {
		Instant now = this.sandbox.now();
		return this.sandbox.visible("flockx")
			.stream()
			.mapToLong((item) -> item.createdAt().plusSeconds(2).isAfter(now) ? 1 : 2)
			.sum();
	}

}
