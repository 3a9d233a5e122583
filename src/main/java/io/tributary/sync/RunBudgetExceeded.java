package io.tributary.sync;

import java.time.Duration;

/** A run that took longer than its connection's {@code run-timeout}. */
final class RunBudgetExceeded extends RuntimeException {

	RunBudgetExceeded(Duration budget) {
		super("the run exceeded its time budget (run-timeout " + budget
				+ "); its committed pages stay and the next full run resumes after them", null, false, false);
	}

}
