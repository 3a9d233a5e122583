package io.tributary.source;

import java.time.Instant;
import java.util.List;

/**
 * The incremental stop rule, shared by every connector: one {@link StopRule} per ordered
 * stream (one project, one thread, one list), asked before requesting each next page.
 */
public final class Paging {

	private Paging() {
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
	 * whose every item is older than {@code stopBefore}. The order is checked, not
	 * trusted: once one page is not newest-first (or starts newer than the previous page
	 * ended), the stream is read to its end.
	 */
	public static final class StopRule {

		private final Instant stopBefore;

		private boolean newestFirst = true;

		private Instant previousLast;

		private StopRule(Instant stopBefore) {
			this.stopBefore = stopBefore;
		}

		/**
		 * @param createdAt the page's items' creation times, in the upstream's order
		 * @param newestChange the latest creation or update time among them
		 * @return whether no further page is needed
		 */
		public boolean isLast(List<Instant> createdAt, Instant newestChange) {
			if (this.stopBefore == null || createdAt.isEmpty()) {
				return false;
			}
			if (!isDescending(createdAt)
					|| (this.previousLast != null && createdAt.get(0).isAfter(this.previousLast))) {
				this.newestFirst = false;
			}
			this.previousLast = createdAt.get(createdAt.size() - 1);
			return this.newestFirst && newestChange != null && newestChange.isBefore(this.stopBefore);
		}

		/**
		 * @param page a mapped page
		 * @return whether no further page is needed
		 */
		public boolean isLast(SourcePage page) {
			return isLast(page.listedCreatedAt(), page.newestChange());
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

}
