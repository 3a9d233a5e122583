package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.tributary.source.ConfiguredConnection;
import io.tributary.source.RunDeadline;
import io.tributary.source.SyncMode;

/**
 * One recorded run as its parts see it: which run of which connection, when it began, the
 * rules its pages go through, its progress, and whether the gateway asks it to stop.
 *
 * @param id the run's id in {@code sync_run}
 * @param connection the connection
 * @param mode the run's mode
 * @param startedAt when it began, on this process's clock
 * @param startedNanos when it began, for its time budget
 * @param rules what its pages go through before they are written
 * @param progress its progress, as gauges and its record show it
 * @param stopping true once the gateway shuts down: the run stops after the page in
 * flight
 * @param sliceNanos how long a scheduled run may read before it pauses
 * ({@link System#nanoTime()} units); 0 for a run that reads to its end
 */
record RunContext(long id, ConfiguredConnection connection, SyncMode mode, Instant startedAt, long startedNanos,
		PageRules rules, RunProgress progress, BooleanSupplier stopping, long sliceNanos) {

	String name() {
		return this.connection.name();
	}

	List<String> secrets() {
		return this.connection.connection().secrets();
	}

	/**
	 * @throws RunBudgetExceeded when the run has taken longer than its connection's
	 * {@code run-timeout}
	 */
	void checkBudget() {
		Duration budget = this.connection.connection().runTimeout();
		if (Duration.ofNanos(System.nanoTime() - this.startedNanos).compareTo(budget) > 0) {
			throw new RunBudgetExceeded(budget);
		}
	}

	/**
	 * @return when the run must end, for the connector to check between the items of a
	 * page
	 */
	RunDeadline deadline() {
		return RunDeadline.after(this.connection.connection().runTimeout(), this.startedNanos);
	}

	/**
	 * @return whether a sliced run has used up its slice: it pauses after the page in
	 * flight
	 */
	boolean sliceOver() {
		return this.sliceNanos > 0 && System.nanoTime() - this.startedNanos > this.sliceNanos;
	}

	/**
	 * @return whether the run reads in a slice (a scheduled slice of a pass)
	 */
	boolean sliced() {
		return this.sliceNanos > 0;
	}

	boolean stopRequested() {
		return this.stopping.getAsBoolean();
	}

}
