package io.tributary.sync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.BulkRows;
import io.tributary.ReaderBulkheadTest;
import io.tributary.SlowClient;
import io.tributary.common.SyncDatabase;
import io.tributary.interaction.InteractionWriter;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scenario at small scale, over real sockets: more exports read at a trickle
 * than the API's pool has connections, and meanwhile list requests answer as usual and a
 * sync run commits; readers holding every API connection hold no sync commit back.
 */
@ReaderBulkheadTest
class ReaderStarvationTests {

	/**
	 * More than the API's pool ({@value ReaderBulkheadTest#API_POOL}) and the exports'
	 * share.
	 */
	static final int EXPORTS = 5;

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@LocalServerPort
	private int port;

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	@SyncDatabase
	private JdbcClient syncJdbc;

	@Autowired
	private HikariDataSource apiPool;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private JsonMapper json;

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<SlowClient> clients = new ArrayList<>();

	private final ExecutorService readers = Executors.newCachedThreadPool();

	private final AtomicBoolean reading = new AtomicBoolean(true);

	@BeforeEach
	void rows() {
		BulkRows.ensure(this.writer, this.syncJdbc, "bulk-long", 2000, 1000);
	}

	@AfterEach
	void hangUp() {
		this.reading.set(false);
		this.readers.shutdownNow();
		this.clients.forEach(SlowClient::close);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.meters.get("tributary.exports.running").gauge().value() == 0);
	}

	@Test
	void slowExportsBeyondThePoolSizeLeaveListsAndTheSyncTheirConnections() throws Exception {
		String[] keys = { ReaderBulkheadTest.ALICE, ReaderBulkheadTest.ALICE, ReaderBulkheadTest.BOB,
				ReaderBulkheadTest.BOB, ReaderBulkheadTest.CAROL };
		List<Integer> statuses = new ArrayList<>();
		List<Future<?>> trickles = new ArrayList<>();
		for (int i = 0; i < EXPORTS; i++) {
			SlowClient export = SlowClient.get(this.port, "/api/v1/interactions/export?connection=bulk-long", keys[i]);
			this.clients.add(export);
			statuses.add(export.status());
			if (export.status() == 200) {
				// a browser on a poor link: about 10 KB/s
				trickles.add(this.readers.submit(() -> {
					while (this.reading.get() && export.readSome(1024).length > 0) {
						Thread.sleep(100);
					}
					return null;
				}));
			}
		}
		assertThat(statuses).as("the exports' share runs, the rest is refused at once, none fails")
			.containsExactly(200, 200, 200, 503, 503);

		for (int i = 0; i < 20; i++) {
			HttpResponse<String> page = list("/api/v1/interactions?connection=bulk-long&limit=50");
			assertThat(page.statusCode()).as("list request %d while the exports stream", i).isEqualTo(200);
			assertThat(this.json.readTree(page.body()).get("items").size()).isEqualTo(50);
		}
		SyncRun run = sync("starved-flockx", 40);
		assertThat(run.outcome()).as("a sync run while the exports stream").isEqualTo("succeeded");
		assertThat(run.inserted()).isEqualTo(40);
		HttpResponse<String> synced = list("/api/v1/interactions?connection=starved-flockx&limit=100");
		assertThat(synced.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(synced.body()).get("items").size()).isEqualTo(40);

		assertThat(trickles).as("the exports still stream").noneMatch(Future::isDone);
		assertThat(this.clients.stream().filter((client) -> client.status() == 200).map(SlowClient::read))
			.allMatch((read) -> read > 0);
	}

	@Test
	void readersHoldingEveryApiConnectionHoldNoSyncCommitBack() throws Exception {
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < ReaderBulkheadTest.API_POOL; i++) {
				held.add(this.apiPool.getConnection());
			}
			HttpResponse<String> starved = list("/api/v1/interactions?limit=5");
			assertThat(starved.statusCode()).as("no connection came free: a clear answer, not a 500").isEqualTo(503);
			assertThat(starved.headers().firstValue("Retry-After")).hasValue("5");
			assertThat(this.json.readTree(starved.body()).get("type").asString())
				.isEqualTo("urn:tributary:problem:database-busy");

			SyncRun run = sync("starved-api", 25);

			assertThat(run.outcome()).isEqualTo("succeeded");
			assertThat(this.syncJdbc.sql("SELECT count(*) FROM interaction WHERE connection = 'starved-api'")
				.query(Long.class)
				.single()).isEqualTo(25);
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
		assertThat(list("/api/v1/interactions?connection=starved-api&limit=5").statusCode()).isEqualTo(200);
	}

	private SyncRun sync(String connection, int items) {
		Instant base = Instant.parse("2026-11-20T12:00:00Z");
		String page = IntStream.range(0, items)
			.mapToObj((i) -> "{\"id\":\"" + connection + "-" + i + "\",\"created_at\":\"" + base.minusSeconds(i)
					+ "\",\"channel_id\":\"c\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],"
					+ "\"content_role\":\"user_message\",\"complete\":true}")
			.collect(Collectors.joining(","));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions"))
			.willReturn(okJson("{\"items\":[" + page + "],\"meta\":{\"has_next\":false}}")));
		this.syncJdbc.sql("DELETE FROM interaction WHERE connection = ?").param(connection).update();
		return this.syncs.at(upstream, "flockx", "starvation-test-key", "page-size", "100")
			.run(connection, SyncMode.FULL);
	}

	private HttpResponse<String> list(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("X-API-Key", ReaderBulkheadTest.CAROL)
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
