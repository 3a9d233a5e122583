package io.tributary.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import org.jspecify.annotations.Nullable;

/**
 * A run under way in this process: the items it committed, and the totals its streams'
 * upstreams reported. Only a full run reads whole listings, so only a full run expects
 * their sum; an incremental run stops early and expects nothing.
 */
final class RunProgress {

	private final SyncMode mode;

	private final Map<String, Long> totals = new ConcurrentHashMap<>();

	private final AtomicLong items = new AtomicLong();

	RunProgress(SyncMode mode) {
		this.mode = mode;
	}

	/**
	 * Notes a page's total, before it is committed.
	 * @param page the page
	 * @return the items the run expects in all, as far as the streams read so far tell;
	 * null when none reported a total or the run is incremental
	 */
	@Nullable Long expect(SourcePage page) {
		if (page.total() != null && page.stream() != null && page.total() >= 0) {
			this.totals.put(page.stream(), page.total());
		}
		return expected();
	}

	/**
	 * @param fetched items of a committed page
	 */
	void committed(int fetched) {
		this.items.addAndGet(fetched);
	}

	long items() {
		return this.items.get();
	}

	@Nullable Long expected() {
		if (this.mode != SyncMode.FULL || this.totals.isEmpty()) {
			return null;
		}
		return this.totals.values().stream().mapToLong(Long::longValue).sum();
	}

}
