package io.tributary.sync;

import java.time.Duration;

import io.tributary.source.RunDeadline;

/**
 * A run that took longer than its connection's {@code run-timeout}, seen between pages.
 */
final class RunBudgetExceeded extends RunDeadline.Exceeded {

	RunBudgetExceeded(Duration budget) {
		super(budget);
	}

}
