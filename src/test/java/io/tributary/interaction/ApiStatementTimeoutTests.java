package io.tributary.interaction;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.BulkRows;
import io.tributary.ReaderBulkheadTest;
import io.tributary.common.SyncDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API reads have a statement timeout (1 s here): a query PostgreSQL cannot finish in time
 * (here: one waiting for a table another transaction holds) is cancelled, and the client
 * gets a 503 problem with {@code Retry-After}, never a 500 or a request that hangs. Each
 * pool has its own bound: the API's, the exports' (per fetch), the sync's (none).
 */
@ReaderBulkheadTest
class ApiStatementTimeoutTests {

	/**
	 * Reads of interactions: a page with its exact total, stats, threads, participants, a
	 * page; stats, threads and participants with a filter their rollups and summaries do
	 * not cover, so they are computed from the interactions.
	 */
	static final List<String> HEAVY = List.of("/api/v1/interactions?includeTotal=exact",
			"/api/v1/interactions/stats?groupBy=model&minRating=0", "/api/v1/threads?createdFrom=2000-01-01",
			"/api/v1/participants?createdFrom=2000-01-01", "/api/v1/interactions?limit=5");

	@LocalServerPort
	private int port;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private DataSource apiPool;

	@Autowired
	@Qualifier(ExportConfiguration.POOL)
	private DataSource exportPool;

	@Autowired
	@SyncDatabase
	private DataSource syncPool;

	@Autowired
	private JsonMapper json;

	@Autowired
	private MeterRegistry meters;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeEach
	void rows() {
		BulkRows.ensure(this.writer, this.jdbc, "bulk-short", 1200, 60);
	}

	@Test
	void aReadOverTheStatementTimeoutIsCancelledAndAnswers503WithRetryAfter() throws Exception {
		try (Connection other = this.syncPool.getConnection(); Statement lock = other.createStatement()) {
			other.setAutoCommit(false);
			lock.execute("LOCK TABLE interaction IN ACCESS EXCLUSIVE MODE");

			for (String path : HEAVY) {
				HttpResponse<String> answer = get(path);
				assertThat(answer.statusCode()).as(path).isEqualTo(503);
				assertThat(answer.headers().firstValue("Retry-After")).as(path).hasValue("5");
				assertThat(answer.headers().firstValue("Content-Type")).as(path)
					.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
				JsonNode problem = this.json.readTree(answer.body());
				assertThat(problem.get("type").asString()).isEqualTo("urn:tributary:problem:statement-timeout");
				assertThat(problem.get("detail").asString()).contains("1.0 s", "narrow the filters");
			}
			other.rollback();
		}
		assertThat(get("/api/v1/interactions?includeTotal=exact&connection=bulk-short").statusCode()).isEqualTo(200);
	}

	@Test
	void eachPoolHasItsOwnStatementTimeoutAndItsOwnMetrics() throws Exception {
		assertThat(statementTimeout(this.apiPool)).as("API reads").isEqualTo("1s");
		assertThat(statementTimeout(this.exportPool)).as("each fetch of an export").isEqualTo("1s");
		assertThat(statementTimeout(this.syncPool)).as("the sync's writes and migrations").isEqualTo("0");
		for (String pool : List.of("api", "export", "sync")) {
			assertThat(this.meters.find("hikaricp.connections.max").tag("pool", pool).gauge()).as(pool).isNotNull();
		}
		assertThat(this.meters.get("hikaricp.connections.max").tag("pool", "export").gauge().value())
			.isEqualTo(ReaderBulkheadTest.EXPORTS);
	}

	private static String statementTimeout(DataSource pool) throws Exception {
		return JdbcClient.create(pool).sql("SHOW statement_timeout").query(String.class).single();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("X-API-Key", ReaderBulkheadTest.ALICE)
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
