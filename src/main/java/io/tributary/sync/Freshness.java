package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.tributary.source.ConfiguredConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * How fresh each connection's stored copy is, read from its run records on the database's
 * clock, so every replica tells the same (whichever replica ran the connection). The one
 * place that decides "healthy", "failing", "pending", "disabled" and "stale" for the
 * sources API, the health contributors and the gauges.
 */
@Component
class Freshness {

	/** A connection is stale once its last success is older than this many polls. */
	static final int STALE_AFTER_POLLS = 3;

	private final SyncRunStore runs;

	/** When the gateway started ({@link System#nanoTime()}). */
	private final long started = System.nanoTime();

	Freshness(@Qualifier(SyncConfiguration.API) SyncRunStore runs) {
		this.runs = runs;
	}

	/**
	 * @param configured the connection
	 * @return its freshness now
	 */
	State of(ConfiguredConnection configured) {
		String name = configured.name();
		var connection = configured.connection();
		Instant now = this.runs.now();
		Optional<SyncRun> last = this.runs.latest(name);
		boolean running = last.map((run) -> "running".equals(run.outcome())).orElse(false);
		Optional<SyncRun> lastFinished = this.runs.latestFinishedSync(name);
		Optional<SyncRun> lastSuccess = lastFinished.filter((run) -> "succeeded".equals(run.outcome()))
			.or(() -> this.runs.latestSucceeded(name, null));
		Duration staleAfter = connection.pollInterval().multipliedBy(STALE_AFTER_POLLS);
		Long lag = lastSuccess.map((run) -> lag(run, now)).orElse(null);
		boolean stale = connection.enabled() && ((lag != null) ? lag > staleAfter.toSeconds()
				: Duration.ofNanos(System.nanoTime() - this.started).compareTo(staleAfter) > 0);
		String health = !connection.enabled() ? "disabled"
				: lastFinished.map((run) -> "succeeded".equals(run.outcome()) ? "healthy" : "failing")
					.orElse("pending");
		return new State(health, stale, running, last.orElse(null), lastSuccess.orElse(null), lag, staleAfter,
				lastFinished.filter((run) -> !"succeeded".equals(run.outcome())).map(SyncRun::error).orElse(null));
	}

	private static long lag(SyncRun success, Instant now) {
		return Math.max(0, Duration.between(success.startedAt(), now).toSeconds());
	}

	/**
	 * @param health healthy (the last finished run succeeded), failing (it failed or was
	 * interrupted), pending (no run finished yet) or disabled
	 * @param stale enabled, and no run succeeded within {@link #STALE_AFTER_POLLS} poll
	 * intervals (counted from the gateway's start when none ever did)
	 * @param running whether a run is under way
	 * @param lastRun the most recent run
	 * @param lastSuccess the most recent successful run
	 * @param lagSeconds seconds since the last successful run started; null before the
	 * first
	 * @param staleAfter how old the last success may get before the connection is stale
	 * @param lastError the error of the last finished run, when it did not succeed
	 */
	record State(String health, boolean stale, boolean running, @Nullable SyncRun lastRun,
			@Nullable SyncRun lastSuccess, @Nullable Long lagSeconds, Duration staleAfter, @Nullable String lastError) {

		@Nullable Instant lastSuccessAt() {
			return (this.lastSuccess != null) ? this.lastSuccess.finishedAt() : null;
		}

	}

}
