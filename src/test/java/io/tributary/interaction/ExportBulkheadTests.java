package io.tributary.interaction;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.BulkRows;
import io.tributary.ReaderBulkheadTest;
import io.tributary.SlowClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exports over real sockets, read slowly or not at all: each key and the gateway have a
 * bounded share of exports, a client that stops reading is cut off and its connection
 * released, and one that keeps reading, however slowly, gets the whole export.
 */
@ReaderBulkheadTest
class ExportBulkheadTests {

	/** Rows of about 2.2 KB of NDJSON each: megabytes, minutes at a trickle. */
	static final String LONG = "/api/v1/interactions/export?connection=bulk-long";

	/** 1 200 rows (three fetches of the cursor) of about 500 bytes. */
	static final String SHORT = "/api/v1/interactions/export?connection=bulk-short&sort=createdAt";

	@LocalServerPort
	private int port;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	@Qualifier(ExportConfiguration.POOL)
	private HikariDataSource exportPool;

	@Autowired
	private HikariDataSource apiPool;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private JsonMapper json;

	private final List<SlowClient> clients = new ArrayList<>();

	@BeforeEach
	void rows() {
		BulkRows.ensure(this.writer, this.jdbc, "bulk-long", 2000, 1000);
		BulkRows.ensure(this.writer, this.jdbc, "bulk-short", 1200, 60);
	}

	@AfterEach
	void hangUp() {
		this.clients.forEach(SlowClient::close);
		await().atMost(Duration.ofSeconds(20)).until(() -> running() == 0);
	}

	@Test
	void aKeyBeyondItsShareIsRefusedWith429AndTheGatewayBeyondItsShareWith503BothWithRetryAfter() {
		assertThat(export(LONG, ReaderBulkheadTest.ALICE).status()).isEqualTo(200);
		assertThat(export(LONG, ReaderBulkheadTest.ALICE).status()).isEqualTo(200);

		SlowClient third = export(LONG, ReaderBulkheadTest.ALICE);
		assertThat(third.status()).isEqualTo(429);
		assertThat(third.header("Retry-After")).isEqualTo("7");
		assertThat(third.header("Content-Type")).startsWith("application/problem+json");
		String refused = new String(third.readRest(4096, Duration.ZERO), StandardCharsets.UTF_8);
		assertThat(refused).contains("urn:tributary:problem:too-many-exports", "'alice'", "tributary.export.per-key");

		assertThat(export(LONG, ReaderBulkheadTest.BOB).status()).as("bob has a share of his own").isEqualTo(200);
		SlowClient busy = export(LONG, ReaderBulkheadTest.CAROL);
		assertThat(busy.status()).as("but the gateway's share is taken").isEqualTo(503);
		assertThat(busy.header("Retry-After")).isEqualTo("7");
		assertThat(new String(busy.readRest(4096, Duration.ZERO), StandardCharsets.UTF_8))
			.contains("urn:tributary:problem:exports-busy", "tributary.export.max-concurrent");
		assertThat(running()).isEqualTo(ReaderBulkheadTest.EXPORTS);
		assertThat(this.apiPool.getHikariPoolMXBean().getActiveConnections())
			.as("exports hold none of the API's connections")
			.isZero();

		this.clients.get(0).close();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(export(LONG, ReaderBulkheadTest.CAROL).status())
				.as("a share comes back when its export ends")
				.isEqualTo(200));
	}

	@Test
	void aClientThatStopsReadingIsCutOffWithinTheIdleTimeoutAndItsConnectionReleased() {
		SlowClient stalled = export(LONG, ReaderBulkheadTest.ALICE);
		assertThat(stalled.status()).isEqualTo(200);
		assertThat(stalled.readSome(1024)).isNotEmpty();
		assertThat(this.exportPool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(1);
		long started = System.nanoTime();

		await().atMost(Duration.ofSeconds(ReaderBulkheadTest.IDLE_SECONDS + 7))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.exportPool.getHikariPoolMXBean().getActiveConnections() == 0);

		assertThat(Duration.ofNanos(System.nanoTime() - started))
			.as("released by the idle timeout, not by the server's 60 s write timeout")
			.isLessThan(Duration.ofSeconds(30));
		byte[] rest = stalled.readRest(64 * 1024, Duration.ZERO);
		assertThat(stalled.read()).as("the export was cut short").isLessThan(2000L * 2000);
		assertThat(SlowClient.endsWithLastChunk(rest)).as("the body does not end as a complete one would").isFalse();
	}

	@Test
	void aClientThatKeepsReadingSlowlyGetsTheWholeExportWhateverItLastsAndTheStatementTimeout() {
		long started = System.nanoTime();
		SlowClient slow = export(SHORT, ReaderBulkheadTest.BOB);
		assertThat(slow.status()).isEqualTo(200);

		byte[] body = slow.readRest(8192, Duration.ofMillis(40));

		assertThat(Duration.ofNanos(System.nanoTime() - started))
			.as("it lasted longer than the idle timeout and many times the statement timeout per fetch")
			.isGreaterThan(Duration.ofSeconds(ReaderBulkheadTest.IDLE_SECONDS));
		assertThat(SlowClient.endsWithLastChunk(body)).isTrue();
		List<String> lines = SlowClient.dechunk(body).lines().toList();
		assertThat(lines).hasSize(1200);
		assertThat(this.json.readTree(lines.get(1199)).get("sourceId").asString()).isEqualTo("bulk-1199");
	}

	private SlowClient export(String target, String key) {
		SlowClient client = SlowClient.get(this.port, target, key);
		this.clients.add(client);
		return client;
	}

	private double running() {
		return this.meters.get("tributary.exports.running").gauge().value();
	}

}
