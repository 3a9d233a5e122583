package io.tributary.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
		return new StopRule(stopBefore, null, null, null, null);
	}

	/**
	 * @param request the run
	 * @param stream one of its streams
	 * @return a fresh rule for that stream: it also stops at a page of items the gateway
	 * already holds unchanged (see {@link StopRule})
	 */
	public static StopRule stopRule(SyncRequest request, String stream) {
		return new StopRule(request.stopBefore(stream), request.watermark(stream), request.readBackTo(),
				request.known(), request.name());
	}

	/**
	 * Says when a newest-first stream has reached pages read before: after the first page
	 * whose every item changed before {@code stopBefore}. The order is checked, not
	 * trusted: newest first by creation time or by last change both qualify (either way
	 * every later page is older), and once the pages are neither (one is out of order, or
	 * starts newer than the previous page ended), the stream is read to its end. Equal
	 * times fit either order: until some time falls, the order is unproven and nothing
	 * stops early (an oldest-first listing that starts with one bulk-imported second is
	 * not taken for newest first).
	 * <p>
	 * It also stops, sooner, after two pages in a row that hold only items the gateway
	 * already stores with the same update time, none changed after the watermark, once
	 * every item still open ({@link SyncRequest#readBackTo()}) has been read again: the
	 * pages after them are older still, and were read before. So a run with nothing new
	 * asks at most two pages per stream. The overlap then bounds how far back a run
	 * reads, rather than setting it; items an upstream shows late, older than two such
	 * pages, are read by the next full run.
	 */
	public static final class StopRule {

		/** Consecutive pages held unchanged that end a stream. */
		private static final int HELD_PAGES = 2;

		private final Instant stopBefore;

		private final Instant watermark;

		private final Instant readBackTo;

		private final KnownVersions known;

		private final String connection;

		/** Pages in a row that held only items stored unchanged. */
		private int heldPages;

		private final Descending byCreation = new Descending();

		private final Descending byChange = new Descending();

		private StopRule(Instant stopBefore, Instant watermark, Instant readBackTo, KnownVersions known,
				String connection) {
			this.stopBefore = stopBefore;
			this.watermark = watermark;
			this.readBackTo = readBackTo;
			this.known = known;
			this.connection = connection;
		}

		/**
		 * @param createdAt the page's items' creation times, in the upstream's order
		 * @param updatedAt their last-change times, in the same order
		 * @return whether no further page is needed
		 */
		public boolean isLast(List<Instant> createdAt, List<Instant> updatedAt) {
			return isLast(null, createdAt, updatedAt);
		}

		/**
		 * @param ids the page's items' upstream ids, in the upstream's order; null when
		 * unknown (the page then stops the stream by time alone)
		 * @param createdAt their creation times, in the same order, one per id
		 * @param updatedAt their last-change times, in the same order, one per id
		 * @return whether no further page is needed
		 * @throws IllegalArgumentException when the lists are not of one length
		 */
		public boolean isLast(List<String> ids, List<Instant> createdAt, List<Instant> updatedAt) {
			if (createdAt.size() != updatedAt.size() || (ids != null && ids.size() != createdAt.size())) {
				throw new IllegalArgumentException("a page's ids and times must be in step: " + sizes(ids) + " ids, "
						+ createdAt.size() + " creation and " + updatedAt.size() + " update times");
			}
			if (this.stopBefore == null || createdAt.isEmpty()) {
				return false;
			}
			// a non-short-circuit or: both orders must see every page
			boolean ordered = this.byCreation.accept(createdAt) | this.byChange.accept(updatedAt);
			Instant newest = updatedAt.stream().max(Instant::compareTo).orElse(null);
			if (!ordered || newest == null) {
				return false;
			}
			if (newest.isBefore(this.stopBefore)) {
				return true;
			}
			this.heldPages = heldUnchanged(ids, createdAt, updatedAt, newest) ? this.heldPages + 1 : 0;
			return this.heldPages >= HELD_PAGES;
		}

		/**
		 * Judges a page by the items that carry their times: an item that could not be
		 * read (quarantined) says nothing of the order or of what is stored, and is left
		 * out of ids and times alike, so each id is compared with its own times.
		 * @param listed the page's items, in the upstream's order
		 * @return whether no further page is needed
		 */
		public boolean isLastOf(List<SourcePage.Listed> listed) {
			List<SourcePage.Listed> timed = listed.stream().filter(SourcePage.Listed::timed).toList();
			List<String> ids = timed.stream().anyMatch((item) -> item.id() == null) ? null
					: timed.stream().map(SourcePage.Listed::id).toList();
			return isLast(ids, timed.stream().map(SourcePage.Listed::createdAt).toList(),
					timed.stream().map(SourcePage.Listed::updatedAt).toList());
		}

		private static String sizes(List<String> ids) {
			return (ids != null) ? String.valueOf(ids.size()) : "no";
		}

		private boolean heldUnchanged(List<String> ids, List<Instant> createdAt, List<Instant> updatedAt,
				Instant newest) {
			if (this.known == null || ids == null || this.watermark == null || newest.isAfter(this.watermark)) {
				return false;
			}
			Instant oldest = createdAt.stream().min(Instant::compareTo).orElseThrow();
			if (this.readBackTo != null && oldest.isAfter(this.readBackTo)) {
				return false;
			}
			Map<String, KnownVersions.Version> stored = this.known.versions(this.connection, ids);
			for (int i = 0; i < ids.size(); i++) {
				KnownVersions.Version version = stored.get(ids.get(i));
				if (version == null || !version.updatedAt().equals(updatedAt.get(i))) {
					return false;
				}
			}
			return true;
		}

		/**
		 * @param page a mapped page
		 * @return whether no further page is needed
		 */
		public boolean isLast(SourcePage page) {
			return isLastOf(page.listed());
		}

	}

	/**
	 * Whether a sequence of pages is proven descending so far, within and across pages. A
	 * tie (equal times side by side) fits both orders, so it neither breaks nor proves
	 * the order: a listing of one bulk-imported second, all ties, proves nothing, and
	 * only a strict fall with no rise anywhere counts as newest first.
	 */
	private static final class Descending {

		private boolean rose;

		private boolean fell;

		private Instant previousLast;

		boolean accept(List<Instant> times) {
			Instant before = this.previousLast;
			for (Instant time : times) {
				if (before != null) {
					this.rose |= time.isAfter(before);
					this.fell |= time.isBefore(before);
				}
				before = time;
			}
			this.previousLast = before;
			return this.fell && !this.rose;
		}

	}

}
