package io.tributary.source;

import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * What every connector's paging shares: the incremental stop rule (one {@link StopRule}
 * per ordered stream: one project, one thread, one list, asked before requesting each
 * next page) and the guard against a server that answers the same page again.
 */
public final class Paging {

	private Paging() {
	}

	/**
	 * One stream of a run: skipped when a stopped full run already read it to its end,
	 * and closed by its end marker once read to its stop point.
	 * @param request the run
	 * @param stream the stream's name
	 * @param pages its pages, from where the run reads it
	 * @return the pages, then the end marker
	 */
	public static Flux<SourcePage> stream(SyncRequest request, String stream, Flux<SourcePage> pages) {
		if (request.isComplete(stream)) {
			return Flux.empty();
		}
		return pages.concatWith(Mono.fromSupplier(() -> SourcePage.end(stream)));
	}

	/**
	 * The guard against a server that ignores the paging parameter it was sent: it
	 * answers the next page with the items of the one before.
	 * @param page the items of the page just read
	 * @param previous the items of the page before it; null for the first page
	 * @return whether {@code page} repeats {@code previous} (never for an empty page)
	 */
	public static boolean repeats(List<JsonNode> page, List<JsonNode> previous) {
		return previous != null && !page.isEmpty() && ids(page).equals(ids(previous));
	}

	private static List<String> ids(List<JsonNode> items) {
		return items.stream().map((item) -> item.path("id").asString("")).toList();
	}

	/**
	 * @param stopBefore {@link SyncRequest#stopBefore()}; null never stops early
	 * @return a fresh rule for one stream of one run
	 */
	public static StopRule stopRule(Instant stopBefore) {
		return new StopRule(stopBefore);
	}

	/**
	 * Says when a newest-first stream has reached pages read before: after the first page
	 * whose every item changed before {@code stopBefore}. The order is checked, not
	 * trusted: newest first by creation time or by last change both qualify (either way
	 * every later page is older), and once the pages are neither (one is out of order, or
	 * starts newer than the previous page ended), the stream is read to its end.
	 */
	public static final class StopRule {

		private final Instant stopBefore;

		private final Descending byCreation = new Descending();

		private final Descending byChange = new Descending();

		private StopRule(Instant stopBefore) {
			this.stopBefore = stopBefore;
		}

		/**
		 * @param createdAt the page's items' creation times, in the upstream's order
		 * @param updatedAt their last-change times, in the same order
		 * @return whether no further page is needed
		 */
		public boolean isLast(List<Instant> createdAt, List<Instant> updatedAt) {
			if (this.stopBefore == null || createdAt.isEmpty()) {
				return false;
			}
			// a non-short-circuit or: both orders must see every page
			boolean ordered = this.byCreation.accept(createdAt) | this.byChange.accept(updatedAt);
			Instant newest = updatedAt.stream().max(Instant::compareTo).orElse(null);
			return ordered && newest != null && newest.isBefore(this.stopBefore);
		}

		/**
		 * @param page a mapped page
		 * @return whether no further page is needed
		 */
		public boolean isLast(SourcePage page) {
			return isLast(page.listedCreatedAt(), page.listedUpdatedAt());
		}

	}

	/**
	 * Whether a sequence of pages has been descending so far, within and across pages.
	 */
	private static final class Descending {

		private boolean descending = true;

		private Instant previousLast;

		boolean accept(List<Instant> times) {
			for (int i = 1; i < times.size() && this.descending; i++) {
				if (times.get(i).isAfter(times.get(i - 1))) {
					this.descending = false;
				}
			}
			if (this.previousLast != null && !times.isEmpty() && times.get(0).isAfter(this.previousLast)) {
				this.descending = false;
			}
			if (!times.isEmpty()) {
				this.previousLast = times.get(times.size() - 1);
			}
			return this.descending;
		}

	}

}
