package io.tributary.sandbox;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.tributary.sandbox.SandboxData.Item;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * What the sandbox end-to-end tests share: a clock the test moves, the calls of the demo
 * connections sent to the port the server chose, and a few reads of the gateway's API and
 * tables.
 */
final class SandboxTestSupport {

	/** When the sandbox starts: its 30 days of history end here. */
	static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

	/**
	 * The clock of the {@link SandboxTest} context, standing at {@link #START} until a
	 * test moves it. Test classes replace the application's clock with it by a field
	 * {@code @TestBean(methodName = SandboxTestSupport.CLOCK_FACTORY) Clock clock}: the
	 * same override in each, so they share one context (and its clock: a test class sees
	 * the time where the previous one left it).
	 */
	static final TestClock CLOCK = new TestClock(START);

	/** The factory method of {@link #CLOCK}, for {@code @TestBean}. */
	static final String CLOCK_FACTORY = "io.tributary.sandbox.SandboxTestSupport#clock";

	/** The demo connections. */
	static final List<String> CONNECTIONS = List.of("greenflash-demo", "zylon-demo", "flockx-demo");

	private SandboxTestSupport() {
	}

	/**
	 * @return {@link #CLOCK}
	 */
	static Clock clock() {
		return CLOCK;
	}

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

	/**
	 * The gateway as the tests see it: its API through {@link MockMvc} and its tables.
	 */
	static final class Gateway {

		private final MockMvc mvc;

		private final JsonMapper json;

		private final JdbcClient jdbc;

		Gateway(MockMvc mvc, JsonMapper json, JdbcClient jdbc) {
			this.mvc = mvc;
			this.json = json;
			this.jdbc = jdbc;
		}

		/**
		 * Forgets everything the demo connections stored and ran: interactions, streams
		 * and their passes, quarantine, runs.
		 */
		void reset() {
			this.jdbc.sql("TRUNCATE interaction").update();
			this.jdbc.sql("DELETE FROM sync_stream").update();
			for (String table : List.of("sync_seen", "sync_reject", "sync_run")) {
				this.jdbc.sql("DELETE FROM " + table + " WHERE connection IN (?, ?, ?)")
					.params(CONNECTIONS.toArray())
					.update();
			}
		}

		/**
		 * Starts a run through the API. A run that was just recorded as ended may hold
		 * the connection's lock for a few more milliseconds (409), so a conflict is
		 * retried briefly, as a client would.
		 * @return the run's id
		 */
		long trigger(String connection, String mode) throws Exception {
			var response = await(connection + " to accept a run").atMost(Duration.ofSeconds(5))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> this.mvc.perform(post("/api/v1/sources/" + connection + "/sync").param("mode", mode))
					.andReturn()
					.getResponse(), (answer) -> answer.getStatus() != 409);
			assertThat(response.getStatus()).as(connection + ": " + response.getContentAsString()).isEqualTo(202);
			return this.json.readTree(response.getContentAsString()).get("runId").asLong();
		}

		/** The run once it has ended, whatever its outcome. */
		JsonNode awaitRun(long id) {
			return await("sync run " + id + " to end").atMost(Duration.ofSeconds(60))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> getJson("/api/v1/sync-runs/" + id),
						(run) -> !"running".equals(run.get("outcome").asString()));
		}

		JsonNode getJson(String uri) throws Exception {
			return this.json.readTree(this.mvc.perform(get(uri)).andReturn().getResponse().getContentAsString());
		}

		/**
		 * Every item {@code GET /api/v1/interactions} serves for the query, page by page.
		 */
		List<JsonNode> served(String query) throws Exception {
			List<JsonNode> items = new ArrayList<>();
			String cursor = null;
			do {
				JsonNode page = getJson(
						"/api/v1/interactions?" + query + "&limit=200" + ((cursor != null) ? "&cursor=" + cursor : ""));
				assertThat(page.get("items")).as(page.toString()).isNotNull();
				page.get("items").forEach(items::add);
				cursor = page.at("/page/hasNext").asBoolean() ? page.at("/page/nextCursor").asString() : null;
			}
			while (cursor != null);
			return items;
		}

		JsonNode ratingOf(String connection, String sourceId) {
			String value = this.jdbc.sql("SELECT rating::text FROM interaction WHERE connection = ? AND source_id = ?")
				.param(connection)
				.param(sourceId)
				.query(String.class)
				.optional()
				.orElse(null);
			return (value == null) ? NullNode.getInstance() : this.json.readTree(value);
		}

		Set<String> sourceIds(String connection) {
			return new HashSet<>(this.jdbc.sql("SELECT source_id FROM interaction WHERE connection = ?")
				.param(connection)
				.query(String.class)
				.list());
		}

		long count(String connection) {
			return this.jdbc.sql("SELECT count(*) FROM interaction WHERE connection = ?")
				.param(connection)
				.query(Long.class)
				.single();
		}

	}

	static Set<String> ids(List<Item> items) {
		Set<String> ids = new HashSet<>();
		items.forEach((item) -> ids.add(item.id()));
		return ids;
	}

	/**
	 * Two message events per exchange: the user's (from its creation) and the agent's
	 * (two seconds later).
	 */
	static long flockxEvents(SandboxData sandbox) {
		Instant now = sandbox.now();
		return sandbox.visible("flockx")
			.stream()
			.mapToLong((item) -> item.createdAt().plusSeconds(2).isAfter(now) ? 1 : 2)
			.sum();
	}

}
