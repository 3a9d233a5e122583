package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.tributary.source.ConfiguredConnection;
import io.tributary.source.SyncMode;

import org.springframework.stereotype.Component;

/**
 * When a connection's full pass runs: a new pass once no pass completed within
 * {@code full-sync-interval}; an open pass at every poll, one slice at a time, until it
 * completes; a pass whose runs keep failing after a backoff that doubles with each
 * failure, from one poll interval up to {@code tributary.sync.pass-backoff-max}, instead
 * of at every poll. What it decides is what the sources API and the health details show.
 */
@Component
class FullPasses {

	private final SyncRunStore runs;

	private final SyncProperties properties;

	FullPasses(SyncRunStore runs, SyncProperties properties) {
		this.runs = runs;
		this.properties = properties;
	}

	/**
	 * @param connection the connection
	 * @return whether a slice of a full pass should run now
	 */
	boolean due(ConfiguredConnection connection) {
		PassStatus status = status(connection);
		return !"backing-off".equals(status.state()) && status.nextAttemptAt() == null;
	}

	/**
	 * @param configured the connection
	 * @return its pass as it stands
	 */
	PassStatus status(ConfiguredConnection configured) {
		String name = configured.name();
		var connection = configured.connection();
		Instant now = this.runs.now();
		Optional<SyncRunStore.OpenPass> running = this.runs.runningPass(name);
		if (running.isPresent()) {
			SyncRunStore.OpenPass pass = running.get();
			return new PassStatus("in-progress", pass.passId(), pass.passStartedAt(), pass.runs(), pass.failures(),
					null, null);
		}
		Optional<SyncRunStore.OpenPass> open = this.runs.openPass(name, this.properties.resumeWithin());
		if (open.isPresent()) {
			SyncRunStore.OpenPass pass = open.get();
			Instant next = (pass.failures() == 0) ? now
					: pass.finishedAt().plus(backoff(connection.pollInterval(), pass.failures()));
			boolean backingOff = next.isAfter(now);
			return new PassStatus(backingOff ? "backing-off" : "in-progress", pass.passId(), pass.passStartedAt(),
					pass.runs(), pass.failures(), "failed".equals(pass.outcome()) ? pass.error() : null,
					backingOff ? next : null);
		}
		Optional<SyncRun> last = this.runs.latestSucceeded(name, SyncMode.FULL);
		Instant next = last.map((run) -> run.startedAt().plus(connection.fullSyncInterval())).orElse(now);
		return new PassStatus("idle", null, null, 0, 0, null, next.isAfter(now) ? next : null);
	}

	/**
	 * @param poll the connection's poll interval
	 * @param failures how many runs of the pass failed in a row (at least one)
	 * @return how long after the last failure the next run may start
	 */
	Duration backoff(Duration poll, int failures) {
		Duration max = this.properties.passBackoffMax();
		Duration backoff = poll;
		for (int i = 1; i < failures && backoff.compareTo(max) < 0; i++) {
			backoff = backoff.multipliedBy(2);
		}
		return (backoff.compareTo(max) > 0) ? max : backoff;
	}

}
