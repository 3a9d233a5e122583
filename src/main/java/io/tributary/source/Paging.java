package io.tributary.source;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Flux;

/**
 * The incremental stop rule, shared by every connector.
 */
public final class Paging {

	private Paging() {
	}

	/**
	 * Ends a newest-first page stream after the first page whose every item is older than
	 * {@code stopBefore}. The order is checked, not trusted: as soon as one page is not
	 * newest-first (or starts newer than the previous page ended), the rest of the stream
	 * is read to its end.
	 * @param pages one ordered stream (one project, one thread) of pages
	 * @param stopBefore {@link SyncRequest#stopBefore()}; null reads everything
	 * @return the pages up to and including the first old one
	 */
	public static Flux<SourcePage> untilWatermark(Flux<SourcePage> pages, Instant stopBefore) {
		if (stopBefore == null) {
			return pages;
		}
		return Flux.defer(() -> {
			AtomicBoolean newestFirst = new AtomicBoolean(true);
			AtomicReference<Instant> previousLast = new AtomicReference<>();
			return pages.takeUntil((page) -> {
				List<Instant> created = page.listedCreatedAt();
				if (created.isEmpty()) {
					return false;
				}
				if (!isDescending(created)
						|| (previousLast.get() != null && created.get(0).isAfter(previousLast.get()))) {
					newestFirst.set(false);
				}
				previousLast.set(created.get(created.size() - 1));
				return newestFirst.get() && page.newestChange() != null && page.newestChange().isBefore(stopBefore);
			});
		});
	}

	private static boolean isDescending(List<Instant> times) {
		for (int i = 1; i < times.size(); i++) {
			if (times.get(i).isAfter(times.get(i - 1))) {
				return false;
			}
		}
		return true;
	}

}
