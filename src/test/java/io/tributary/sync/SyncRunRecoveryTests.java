package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.source.Connections;
import io.tributary.source.SourceConnector;
import io.tributary.source.SourcesProperties;

import io.tributary.IntegrationTest;
import io.tributary.source.SyncMode;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A run counts as abandoned exactly when its connection's lock is gone, whatever its age:
 * a run whose process died stops blocking its connection once its lease lapses, and a
 * long run that keeps its lease is never taken from it.
 */
@IntegrationTest
class SyncRunRecoveryTests {

	@Autowired
	private SyncRunStore runs;

	@Autowired
	private LockProvider syncLocks;

	@Autowired
	private JdbcClient jdbc;

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private List<SourceConnector> connectors;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private SyncRunner runner;

	@Autowired
	private RunTracing tracing;

	@Autowired
	private SyncMetrics metrics;

	@Autowired
	private FullPasses passes;

	@Autowired
	private SyncProperties properties;

	@BeforeEach
	void clean() {
		this.jdbc.sql("DELETE FROM sync_run WHERE connection LIKE 'recovery-%'").update();
		this.jdbc.sql("DELETE FROM shedlock WHERE name LIKE 'sync-recovery-%'").update();
	}

	@Test
	void aRunningRunWithoutItsLockIsAbandonedAndTheConnectionCanRunAgain() {
		long dead = running("recovery-a", "5 seconds");

		this.runs.abandonOrphans();

		SyncRun run = this.runs.find(dead).orElseThrow();
		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).startsWith("abandoned");
		assertThat(this.runs.start("recovery-a", SyncMode.INCREMENTAL)).isPresent();
	}

	@Test
	void aRunWhoseLockIsHeldKeepsRunningWhateverItsAge() {
		long alive = running("recovery-b", "30 hours");
		lock("recovery-b", "1 minute");

		this.runs.abandonOrphans();

		assertThat(this.runs.find(alive).orElseThrow().outcome()).isEqualTo("running");
		assertThat(this.runs.start("recovery-b", SyncMode.INCREMENTAL)).isEmpty();
	}

	@Test
	void aDeadReplicasConnectionIsTakenOverOnceItsLeaseLapses() {
		long theirs = running("recovery-c", "10 minutes");
		lock("recovery-c", "40 seconds");

		assertThat(lock("recovery-c")).as("another replica holds it").isEmpty();
		this.runs.abandonOrphans();
		assertThat(this.runs.find(theirs).orElseThrow().outcome()).isEqualTo("running");

		// the replica died: nobody renews its lease, which lapses
		this.jdbc.sql("UPDATE shedlock SET lock_until = now() - interval '1 second' WHERE name = ?")
			.param(ConnectionLocks.lockName("recovery-c"))
			.update();

		Optional<SimpleLock> ours = lock("recovery-c");
		assertThat(ours).as("taken over").isPresent();
		try {
			this.runs.abandonLockedOut("recovery-c");
			assertThat(this.runs.find(theirs).orElseThrow().outcome()).isEqualTo("failed");
			assertThat(this.runs.start("recovery-c", SyncMode.FULL)).isPresent();
		}
		finally {
			ours.get().unlock();
		}
		assertThat(lock("recovery-c")).as("released on unlock").isPresent().get().satisfies(SimpleLock::unlock);
	}

	@Test
	void aSecondGatewayOnTheSameDatabaseTakesOverOnceTheOwnersLeaseLapses() {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions"))
			.willReturn(okJson("{\"items\":[{\"id\":\"r-1\",\"created_at\":\"2026-11-20T10:00:00Z\","
					+ "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"content_role\":\"user_message\"}],"
					+ "\"meta\":{\"has_next\":false}}")));
		// the first gateway died in the middle of a run: its run is recorded as running
		// and
		// its lease is still in the table, no longer renewed
		long dead = running("recovery-d", "20 seconds");
		lock("recovery-d", "30 seconds");
		SyncService second = secondGateway("recovery-d");

		assertThatExceptionOfType(RunAlreadyRunning.class)
			.as("while the lease lasts, the connection is the dead owner's")
			.isThrownBy(() -> second.trigger("recovery-d", SyncMode.FULL));

		this.jdbc.sql("UPDATE shedlock SET lock_until = now() - interval '1 second' WHERE name = ?")
			.param(ConnectionLocks.lockName("recovery-d"))
			.update();
		long taken = second.trigger("recovery-d", SyncMode.FULL);

		assertThat(this.runs.find(dead).orElseThrow().error()).startsWith("abandoned");
		assertThat(this.runs.find(taken).orElseThrow().outcome()).isEqualTo("succeeded");
		assertThat(this.jdbc.sql("SELECT lock_until <= now() FROM shedlock WHERE name = ?")
			.param(ConnectionLocks.lockName("recovery-d"))
			.query(Boolean.class)
			.single()).as("released when the run ended").isTrue();
	}

	/**
	 * Another gateway process on the same database: its own lock provider,
	 * scheduler-free, running triggered runs inline.
	 */
	private SyncService secondGateway(String connection) {
		SourceConnector flockx = this.connectors.stream()
			.filter((connector) -> connector.kind().name().equals("flockx"))
			.findFirst()
			.orElseThrow();
		Binder binder = new Binder(
				new MapConfigurationPropertySource(Map.of("tributary.sources." + connection + ".type", "flockx",
						"tributary.sources." + connection + ".api-key", "second-gateway-key",
						"tributary.sources." + connection + ".base-url", upstream.baseUrl() + "/api/v1")));
		Connections connections = new Connections(binder.bind("tributary", SourcesProperties.class).get(),
				List.of(flockx), binder);
		LockProvider locks = new KeepAliveLockProvider(
				new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
					.withJdbcTemplate(new JdbcTemplate(this.dataSource))
					.usingDbTime()
					.build()),
				Executors.newSingleThreadScheduledExecutor());
		return new SyncService(connections, this.runs, new ConnectionLocks(locks, this.properties, Clock.systemUTC()),
				this.runner, this.tracing, new SyncTaskExecutor(), this.metrics, this.passes, this.properties);
	}

	private Optional<SimpleLock> lock(String connection) {
		return this.syncLocks.lock(new LockConfiguration(Instant.now(), ConnectionLocks.lockName(connection),
				Duration.ofSeconds(30), Duration.ZERO));
	}

	private long running(String connection, String age) {
		return this.jdbc
			.sql("INSERT INTO sync_run (connection, mode, started_at) VALUES (?, 'full', now() - CAST(? AS interval)) "
					+ "RETURNING id")
			.param(connection)
			.param(age)
			.query(Long.class)
			.single();
	}

	private void lock(String connection, String remaining) {
		this.jdbc
			.sql("INSERT INTO shedlock (name, lock_until, locked_at, locked_by) "
					+ "VALUES (?, now() + CAST(? AS interval), now(), 'another-replica')")
			.param(ConnectionLocks.lockName(connection))
			.param(remaining)
			.update();
	}

}
