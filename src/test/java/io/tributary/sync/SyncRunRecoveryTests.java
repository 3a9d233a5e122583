package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.tributary.IntegrationTest;
import io.tributary.source.SyncMode;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

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
			.param(SyncService.lockName("recovery-c"))
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

	private Optional<SimpleLock> lock(String connection) {
		return this.syncLocks.lock(new LockConfiguration(Instant.now(), SyncService.lockName(connection),
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
			.param(SyncService.lockName(connection))
			.param(remaining)
			.update();
	}

}
