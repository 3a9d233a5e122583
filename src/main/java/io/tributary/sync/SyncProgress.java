package io.tributary.sync;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * How far a running run is.
 *
 * @param pages upstream pages committed so far
 * @param items items listed on those pages
 * @param elapsedSeconds since the run started
 * @param itemsPerSecond items so far over the time so far
 * @param expectedItems the items a full run expects in all, where the upstream reports
 * its listing's total (Flockx {@code meta.total}, Zylon {@code total_count}); summed over
 * the streams read so far; null for incremental runs (they stop early) and upstreams that
 * report none (Greenflash)
 * @param percent items over expected items, at most 100; null without an expectation
 * @param etaSeconds the seconds left at the rate so far; null without an expectation or
 * before the first item
 */
public record SyncProgress(@Schema(example = "12") int pages, @Schema(example = "1200") long items,
		@Schema(example = "40") long elapsedSeconds, @Schema(example = "30.0") double itemsPerSecond,
		@Schema(example = "4800") @Nullable Long expectedItems, @Schema(example = "25.0") @Nullable Double percent,
		@Schema(example = "120") @Nullable Long etaSeconds) {

	/**
	 * @param pages pages so far
	 * @param items items so far
	 * @param elapsedMillis time so far
	 * @param expected expected items; null when unknown
	 * @return the progress
	 */
	static SyncProgress of(int pages, long items, long elapsedMillis, @Nullable Long expected) {
		double seconds = Math.max(elapsedMillis, 1) / 1000.0;
		double rate = items / seconds;
		Double percent = null;
		Long eta = null;
		if (expected != null && expected > 0) {
			percent = Math.min(100.0, Math.round(1000.0 * items / expected) / 10.0);
			if (items > 0) {
				eta = Math.round(Math.max(0, expected - items) / rate);
			}
		}
		return new SyncProgress(pages, items, elapsedMillis / 1000, Math.round(rate * 10) / 10.0, expected, percent,
				eta);
	}

}
