package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tributary.IntegrationTest;
import io.tributary.TestApiKeys;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.SourceConnector;
import io.tributary.source.TestConnections;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * A connection's health from its run records: healthy, stale, failing, pending and
 * disabled, and who sees the details.
 */
@IntegrationTest
class ConnectionHealthTests {

	@Autowired
	private Freshness freshness;

	@Autowired
	private FullPasses passes;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private List<SourceConnector> connectors;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	private static int counter;

	private String name;

	@BeforeEach
	void fresh() {
		this.name = "health-" + (++counter);
	}

	@Test
	void aRecentSuccessIsUpWithItsLag() {
		run("succeeded", Duration.ofSeconds(30), null);

		Health health = health("PT1M");

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("health", "healthy")
			.containsEntry("stale", false)
			.containsEntry("staleAfter", "PT3M")
			.containsKey("lastSuccessAt")
			.doesNotContainKey("lastError");
		assertThat((Long) health.getDetails().get("lagSeconds")).isBetween(30L, 40L);
	}

	@Test
	void aSuccessOlderThanThreePollsIsOutOfService() {
		run("succeeded", Duration.ofMinutes(10), null);

		Health health = health("PT1M");

		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("health", "healthy").containsEntry("stale", true);
		assertThat((Long) health.getDetails().get("lagSeconds")).isBetween(600L, 610L);
	}

	@Test
	void failingRunsAfterAnOldSuccessAreOutOfServiceWithTheLastError() {
		run("succeeded", Duration.ofMinutes(10), null);
		run("failed", Duration.ofMinutes(5), "GET /api/v1/interactions answered 503 five times");
		run("failed", Duration.ofMinutes(1), "GET /api/v1/interactions answered 401: bad key");

		Health health = health("PT1M");

		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("health", "failing")
			.containsEntry("stale", true)
			.containsEntry("lastError", "GET /api/v1/interactions answered 401: bad key");
		assertThat((Long) health.getDetails().get("lagSeconds")).isBetween(600L, 610L);
	}

	@Test
	void aFailureAfterARecentSuccessStaysUpAndNamesTheError() {
		run("succeeded", Duration.ofMinutes(2), null);
		run("failed", Duration.ofMinutes(1), "connection refused");

		Health health = health("PT1M");

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("health", "failing")
			.containsEntry("lastError", "connection refused");
	}

	@Test
	void aRunningRunIsShownAndTheLastFinishedOneDecides() {
		run("succeeded", Duration.ofMinutes(10), null);
		run("running", Duration.ofSeconds(5), null);
		// a live run holds its connection's lock
		this.jdbc
			.sql("INSERT INTO shedlock (name, lock_until, locked_at, locked_by) "
					+ "VALUES (?, now() + interval '1 minute', now(), 'this-test')")
			.param(ConnectionLocks.lockName(this.name))
			.update();

		Health health = health("PT1M");

		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("running", true).containsEntry("health", "healthy");
	}

	@Test
	void aConnectionThatNeverRanIsUnknownUntilThreePollsAfterTheStartThenOutOfService() {
		assertThat(health("PT1H").getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health("PT1H").getDetails()).containsEntry("health", "pending").doesNotContainKey("lagSeconds");
		// the test context started more than 3 ms ago
		assertThat(health("PT0.001S").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void aDisabledConnectionIsUpHoweverOld() {
		run("succeeded", Duration.ofDays(3), null);

		Health health = new ConnectionHealth(connection("PT1M", "enabled", "false"), this.freshness, this.passes)
			.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("health", "disabled").containsEntry("stale", false);
	}

	@Test
	void onlyAKeyWithOperateSeesComponentsAndAWrongKeyIsRefused() throws Exception {
		JsonNode anonymous = healthAs(null, 200);
		assertThat(anonymous.get("status").asString()).isEqualTo("UP");
		assertThat(anonymous.has("components")).isFalse();
		assertThat(healthAs("test-key-read-only-0001", 200).has("components")).isFalse();
		JsonNode operator = healthAs("test-key-operate-only-01", 200);
		assertThat(operator.at("/components/db/status").asString()).isEqualTo("UP");
		assertThat(operator.at("/components/db/details/database").asString()).isEqualTo("PostgreSQL");
		assertThat(healthAs("not-a-configured-key-at-all", 401).get("status").asInt()).isEqualTo(401);
	}

	private JsonNode healthAs(String key, int status) throws Exception {
		var request = get("/actuator/health").with((servlet) -> {
			servlet.removeHeader(TestApiKeys.HEADER);
			if (key != null) {
				servlet.addHeader(TestApiKeys.HEADER, key);
			}
			return servlet;
		});
		var response = this.mvc.perform(request).andReturn().getResponse();
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
		return this.json.readTree(response.getContentAsString());
	}

	private Health health(String pollInterval) {
		return new ConnectionHealth(connection(pollInterval), this.freshness, this.passes).health();
	}

	private ConfiguredConnection connection(String pollInterval, String... more) {
		List<String> properties = new java.util.ArrayList<>(List.of("type", "flockx", "poll-interval", pollInterval,
				"base-url", "http://localhost:1/api/v1", "api-key", "health-test-key"));
		properties.addAll(List.of(more));
		SourceConnector flockx = this.connectors.stream()
			.filter((connector) -> connector.kind().name().equals("flockx"))
			.findFirst()
			.orElseThrow();
		return TestConnections.configured(flockx, this.name, properties.toArray(String[]::new));
	}

	private void run(String outcome, Duration ago, String error) {
		Instant started = Instant.now().minus(ago);
		this.jdbc
			.sql("INSERT INTO sync_run (connection, mode, started_at, finished_at, outcome, error) "
					+ "VALUES (?, 'incremental', ?, ?, ?, ?)")
			.params(this.name, java.sql.Timestamp.from(started),
					"running".equals(outcome) ? null : java.sql.Timestamp.from(started.plusSeconds(1)), outcome, error)
			.update();
	}

}
