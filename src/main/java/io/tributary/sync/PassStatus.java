package io.tributary.sync;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A connection's full pass: the reconciliation that re-reads everything, in slices, and
 * checks for deletions when it completes (see {@code FullPasses}).
 *
 * @param state {@code idle} (no pass open: the next begins at {@code nextAttemptAt}),
 * {@code in-progress} (a pass is open and goes on at the next poll) or
 * {@code backing-off} (its runs keep failing: it is tried again at {@code nextAttemptAt},
 * while every poll still reads each stream's head)
 * @param passId the open pass (its first run's id)
 * @param startedAt when the open pass began
 * @param runs how many runs (slices) the open pass has had
 * @param failures how many of its latest runs failed in a row
 * @param lastError why the latest one failed
 * @param nextAttemptAt when the next run of a pass may start; null when at the next poll
 */
public record PassStatus(@Schema(allowableValues = {
		"idle", "in-progress", "backing-off" }) String state, @Schema(example = "40") @Nullable Long passId,
		@Nullable Instant startedAt, int runs, int failures,
		@Schema(example = "GET /api/v1/interactions?page=7 answered 500") @Nullable String lastError,
		@Nullable Instant nextAttemptAt){
}
