package io.tributary.sync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.tributary.HttpEdgeTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the sources writes nothing: a run whose process died (still recorded as
 * running, its connection's lock gone) is shown as abandoned by every read, computed from
 * the lock, while its record stays as it is until the scheduler's sweep or the
 * connection's next run records it.
 */
@HttpEdgeTest
class SourcesReadOnlyTests {

	private static final String CONNECTION = HttpEdgeTest.CONNECTION;

	private final HttpClient http = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private JsonMapper json;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private SyncScheduler scheduler;

	@BeforeEach
	@AfterEach
	void noRunsNorLock() {
		this.jdbc.sql("DELETE FROM sync_run WHERE connection = ?").param(CONNECTION).update();
		this.jdbc.sql("DELETE FROM shedlock WHERE name = ?").param(ConnectionLocks.lockName(CONNECTION)).update();
	}

	@Test
	void aRunWhoseProcessDiedIsShownAbandonedAndNoReadWritesSyncRun() throws Exception {
		this.jdbc.sql("INSERT INTO sync_run (connection, mode, started_at, finished_at, outcome) "
				+ "VALUES (?, 'incremental', now() - interval '10 minutes', now() - interval '9 minutes', 'succeeded')")
			.param(CONNECTION)
			.update();
		long dead = running();
		// its lease lapsed a minute after it started: the process is gone
		lock("now() - interval '4 minutes'");
		List<String> before = table();

		JsonNode listed = sourceIn(getJson("/api/v1/sources"));
		JsonNode one = getJson("/api/v1/sources/" + CONNECTION);
		JsonNode run = getJson("/api/v1/sync-runs/" + dead);
		JsonNode runs = getJson("/api/v1/sync-runs?connection=" + CONNECTION);

		assertThat(table()).as("no read wrote sync_run").isEqualTo(before);
		for (JsonNode source : List.of(listed, one)) {
			assertThat(source.get("running").asBoolean()).isFalse();
			assertThat(source.at("/lastRun/id").asLong()).isEqualTo(dead);
			assertThat(source.at("/lastRun/outcome").asString()).isEqualTo("failed");
			assertThat(source.at("/lastRun/progress").isNull()).isTrue();
			assertThat(source.get("lastError").asString()).startsWith("abandoned");
		}
		assertThat(run.get("outcome").asString()).isEqualTo("failed");
		assertThat(run.get("error").asString()).startsWith("abandoned");
		assertThat(run.get("finishedAt").asString()).as("when its lease lapsed").isNotEmpty();
		assertThat(runs.at("/items/0/outcome").asString()).isEqualTo("failed");

		this.scheduler.abandonOrphans();

		assertThat(this.jdbc.sql("SELECT outcome || ' ' || error FROM sync_run WHERE id = ?")
			.param(dead)
			.query(String.class)
			.single()).as("the scheduler's sweep records it").startsWith("failed abandoned");
	}

	@Test
	void aRunThatHoldsItsLockIsShownRunning() throws Exception {
		long alive = running();
		lock("now() + interval '1 minute'");

		JsonNode source = getJson("/api/v1/sources/" + CONNECTION);

		assertThat(source.get("running").asBoolean()).isTrue();
		assertThat(source.at("/lastRun/id").asLong()).isEqualTo(alive);
		assertThat(source.at("/lastRun/outcome").asString()).isEqualTo("running");
		assertThat(source.at("/lastRun/progress").isObject()).isTrue();
		assertThat(getJson("/api/v1/sync-runs/" + alive).get("finishedAt").isNull()).isTrue();
	}

	private long running() {
		return this.jdbc
			.sql("INSERT INTO sync_run (connection, mode, started_at) VALUES (?, 'full', now() - interval '5 minutes') "
					+ "RETURNING id")
			.param(CONNECTION)
			.query(Long.class)
			.single();
	}

	private void lock(String until) {
		this.jdbc
			.sql("INSERT INTO shedlock (name, lock_until, locked_at, locked_by) VALUES (?, " + until
					+ ", now() - interval '5 minutes', 'a-process')")
			.param(ConnectionLocks.lockName(CONNECTION))
			.update();
	}

	private List<String> table() {
		return this.jdbc.sql("SELECT r::text FROM sync_run r WHERE connection = ? ORDER BY id")
			.param(CONNECTION)
			.query(String.class)
			.list();
	}

	private JsonNode sourceIn(JsonNode sources) {
		for (JsonNode source : sources) {
			if (source.get("connection").asString().equals(CONNECTION)) {
				return source;
			}
		}
		throw new AssertionError("no source " + CONNECTION);
	}

	private JsonNode getJson(String path) throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.header("X-API-Key", HttpEdgeTest.KEY)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

}
