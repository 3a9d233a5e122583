package io.tributary.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * What every connector's paging shares: the incremental stop rule (one {@link StopRule}
 * per ordered stream: one project, one thread, one list, asked before requesting each
 * next page) and the guard against a server that answers the same page again.
 */
public final class Paging {

	private static final Logger log = LoggerFactory.getLogger(Paging.class);

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
	 * One stream of a run, read from where a stopped pass left it: skipped when that pass
	 * already read it to its end, and closed by its end marker. A saved position the
	 * upstream refuses before it answered a page, as the kind says it refuses a position
	 * ({@code refuses}: a cursor that expired during an outage, an offset past the
	 * vendor's depth cap, a page number past the end), restarts the stream from its start
	 * instead of failing every run of the pass on it; once per pass: a stream whose
	 * restart is refused again (a depth cap the pass reaches every time) fails its runs,
	 * and the pass backs off. A restarted stream's positions carry {@value #RESTARTED},
	 * so the pass's later runs know.
	 * @param request the run
	 * @param stream the stream's name
	 * @param refuses whether an answer says the kind refuses the position it was sent
	 * (never a transient status: those are retried)
	 * @param from its pages from a saved position; from its start for null
	 * @return the pages, then the end marker
	 */
	public static Flux<SourcePage> stream(SyncRequest request, String stream, Predicate<UpstreamException> refuses,
			Function<String, Flux<SourcePage>> from) {
		String saved = request.resumeFrom(stream);
		if (saved == null) {
			return stream(request, stream, Flux.defer(() -> from.apply(null)));
		}
		if (saved.startsWith(RESTARTED)) {
			String position = saved.substring(RESTARTED.length());
			return stream(request, stream, Flux.defer(() -> restarted(stream, from.apply(position))));
		}
		return stream(request, stream, Flux.defer(() -> {
			AtomicBoolean answered = new AtomicBoolean();
			return from.apply(saved)
				.doOnNext((page) -> answered.set(true))
				.onErrorResume((ex) -> !answered.get() && ex instanceof UpstreamException upstream
						&& upstream.status() != null && refuses.test(upstream), (ex) -> {
							log.warn(
									"Connection '{}': the upstream refused stream {}'s saved position ({}); reading "
											+ "the stream again from its start, once in this pass",
									request.name(), stream, ex.getMessage());
							return restarted(stream, from.apply(null));
						});
		}));
	}

	/**
	 * What a restarted stream's saved positions begin with: its pass restarts it no more.
	 */
	static final String RESTARTED = "restarted;";

	private static Flux<SourcePage> restarted(String stream, Flux<SourcePage> pages) {
		return pages.map((page) -> (page.position() != null) ? page.at(stream, RESTARTED + page.position()) : page);
	}

	/**
	 * @param statuses the statuses with which a kind refuses a position it was sent
	 * @return whether an answer has one of them
	 */
	public static Predicate<UpstreamException> refusedWith(Integer... statuses) {
		Set<Integer> refusing = Set.of(statuses);
		return (ex) -> refusing.contains(ex.status());
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
	 * @return a fresh rule for one stream of one run, by time alone
	 */
	public static StopRule stopRule(Instant stopBefore) {
		return new StopRule(false, stopBefore, null, null);
	}

	/**
	 * @param request the run
	 * @param stream one of its streams
	 * @return a fresh rule for that stream (see {@link StopRule})
	 */
	public static StopRule stopRule(SyncRequest request, String stream) {
		return new StopRule(request.mode() == SyncMode.INCREMENTAL && request.known() != null,
				request.stopBefore(stream), request.known(), request.name());
	}

	/**
	 * Says when a newest-first stream of an incremental run has reached pages read
	 * before. The order is checked, not trusted: newest first by creation time or by last
	 * change both qualify (either way every later page is older), and once the pages are
	 * neither (one is out of order, or starts newer than the previous page ended), the
	 * stream is read to its end. Equal times fit either order: until some time falls, the
	 * order is unproven and nothing stops early (an oldest-first listing that starts with
	 * one bulk-imported second is not taken for newest first).
	 * <ul>
	 * <li>With a watermark, the window from {@code watermark - overlap}
	 * ({@code stopBefore}) to now is read whole, whatever it holds (an item that becomes
	 * visible late but inside the window is read however deep it lies), and the stream
	 * stops after the first page whose every item changed before {@code stopBefore}: an
	 * idle poll asks at most two pages per stream. Items stored as still open are read
	 * again by their own detail calls where the kind can
	 * ({@link SourceConnector#refresh}); otherwise as far as the window reaches, and by
	 * the next full pass.</li>
	 * <li>Without a watermark (a stream no run has completed yet, as during an initial
	 * backfill that a pass is still reading), there is no window: the head is read down
	 * to {@value #HELD_PAGES} pages in a row held unchanged, or {@value #HEAD_PAGES}
	 * pages at most, and the pass reads the rest: the first poll of a million-item
	 * backfill reads its head, not the whole listing in one unsliced run.</li>
	 * </ul>
	 */
	public static final class StopRule {

		/** Consecutive pages held unchanged that end a stream. */
		private static final int HELD_PAGES = 2;

		/**
		 * The most pages an incremental run reads of a stream without a watermark.
		 */
		private static final int HEAD_PAGES = 10;

		/** Pages this rule has judged. */
		private int pages;

		private final boolean incremental;

		private final Instant stopBefore;

		private final KnownVersions known;

		private final String connection;

		/** Pages in a row that held only items stored unchanged. */
		private int heldPages;

		private final Descending byCreation = new Descending();

		private final Descending byChange = new Descending();

		private StopRule(boolean incremental, Instant stopBefore, KnownVersions known, String connection) {
			this.incremental = incremental;
			this.stopBefore = stopBefore;
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
			if (createdAt.isEmpty()) {
				return false;
			}
			// a non-short-circuit or: both orders must see every page
			boolean ordered = this.byCreation.accept(createdAt) | this.byChange.accept(updatedAt);
			Instant newest = updatedAt.stream().max(Instant::compareTo).orElse(null);
			if (!ordered || newest == null) {
				return false;
			}
			if (this.stopBefore == null) {
				return this.incremental && (held(ids, updatedAt) | ++this.pages >= HEAD_PAGES);
			}
			return newest.isBefore(this.stopBefore);
		}

		/**
		 * Counts a page held unchanged: whether it makes {@value #HELD_PAGES} in a row.
		 */
		private boolean held(List<String> ids, List<Instant> updatedAt) {
			this.heldPages = heldUnchanged(ids, updatedAt) ? this.heldPages + 1 : 0;
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

		private boolean heldUnchanged(List<String> ids, List<Instant> updatedAt) {
			if (this.known == null || ids == null || ids.size() != updatedAt.size()) {
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
