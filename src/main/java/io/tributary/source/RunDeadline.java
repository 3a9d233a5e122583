package io.tributary.source;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * When a run must end: its connection's {@code run-timeout} after it began, on the
 * monotonic clock. The sync checks it between pages; a connector's mapping checks it
 * between the items of a page
 * ({@link SourcePage#mapping(SyncRequest, java.util.List, java.util.function.Function)}),
 * so a page of costly items cannot hold a run past its budget either.
 *
 * @param budget the run's {@code run-timeout}; null for no deadline
 * @param atNanos the deadline, in {@link System#nanoTime()} units
 */
public record RunDeadline(@Nullable Duration budget, long atNanos) {

	/** No deadline: a request made outside a run (deletion checks, tests). */
	public static final RunDeadline NONE = new RunDeadline(null, 0);

	/**
	 * @param budget the run's {@code run-timeout}
	 * @param startedNanos when it began, in {@link System#nanoTime()} units
	 * @return its deadline
	 */
	public static RunDeadline after(Duration budget, long startedNanos) {
		return new RunDeadline(budget, startedNanos + budget.toNanos());
	}

	/**
	 * @return whether the deadline has passed
	 */
	public boolean passed() {
		return this.budget != null && System.nanoTime() - this.atNanos > 0;
	}

	/**
	 * @throws Exceeded when the deadline has passed
	 */
	public void check() {
		if (passed()) {
			throw new Exceeded(this.budget);
		}
	}

	/** A run that took longer than its connection's {@code run-timeout}. */
	public static class Exceeded extends RuntimeException {

		/**
		 * @param budget the run's {@code run-timeout}
		 */
		public Exceeded(Duration budget) {
			super("the run exceeded its time budget (run-timeout " + budget
					+ "); its committed pages stay and the next full run resumes after them", null, false, false);
		}

	}

}
