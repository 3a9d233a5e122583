package io.tributary.sync;

import java.time.Duration;

import io.tributary.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run whose process died must not block its connection: it is recorded as failed once
 * nobody holds the connection's lock.
 */
@IntegrationTest
class SyncRunRecoveryTests {

	@Autowired
	private SyncRunStore runs;

	@Autowired
	private JdbcClient jdbc;

	@BeforeEach
	void clean() {
		this.jdbc.sql("DELETE FROM sync_run WHERE connection LIKE 'recovery-%'").update();
		this.jdbc.sql("DELETE FROM shedlock WHERE name LIKE 'sync-recovery-%'").update();
	}

	@Test
	void aRunningRunWithoutItsLockIsAbandonedAndTheConnectionCanRunAgain() {
		long dead = running("recovery-a", "2 minutes");

		this.runs.abandonStale(Duration.ofHours(2));

		SyncRun run = this.runs.find(dead).orElseThrow();
		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).startsWith("abandoned");
		assertThat(this.runs.start("recovery-a", io.tributary.source.SyncMode.INCREMENTAL)).isPresent();
	}

	@Test
	void aRunWhoseLockIsHeldKeepsRunning() {
		long alive = running("recovery-b", "2 minutes");
		lock("recovery-b", "1 hour");

		this.runs.abandonStale(Duration.ofHours(2));

		assertThat(this.runs.find(alive).orElseThrow().outcome()).isEqualTo("running");
		assertThat(this.runs.start("recovery-b", io.tributary.source.SyncMode.INCREMENTAL)).isEmpty();
	}

	@Test
	void aRunJustStartedIsGivenTimeToTakeItsLock() {
		long starting = running("recovery-c", "5 seconds");

		this.runs.abandonStale(Duration.ofHours(2));

		assertThat(this.runs.find(starting).orElseThrow().outcome()).isEqualTo("running");
	}

	@Test
	void aRunOlderThanTheLimitIsAbandonedEvenWithALock() {
		long old = running("recovery-d", "3 hours");
		lock("recovery-d", "1 hour");

		this.runs.abandonStale(Duration.ofHours(2));

		assertThat(this.runs.find(old).orElseThrow().outcome()).isEqualTo("failed");
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
					+ "VALUES (?, now() + CAST(? AS interval), now(), 'test')")
			.param(SyncService.lockName(connection))
			.param(remaining)
			.update();
	}

}
