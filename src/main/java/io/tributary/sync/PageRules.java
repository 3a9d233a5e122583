package io.tributary.sync;

import java.time.Instant;
import java.util.List;

import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.SourcePage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;

/**
 * What a run does to a mapped page before it is written, and what the page may tell the
 * watermark: pure functions of the page and the run's settings, no I/O.
 * <ul>
 * <li>items older than the retention cutoff are left out: the purge would delete them,
 * and a full run must not bring purged rows back (they count as unchanged);</li>
 * <li>the connection's own participant mapping ({@code participant-external-id}) sets
 * each item's external participant id from that field of its raw item;</li>
 * <li>items whose times lie past the run's start plus the skew allowance (a bad clock,
 * milliseconds read as seconds) are flagged with {@value #FUTURE_FLAG}, and such times
 * never move a watermark.</li>
 * </ul>
 *
 * @param cutoff the retention cutoff; null when retention is off (or does not apply, as
 * in renormalization)
 * @param participantPath the dotted path of the participant mapping; null when none
 * @param horizon the run's start plus {@code tributary.sync.clock-skew}
 */
record PageRules(@Nullable Instant cutoff, @Nullable String participantPath, Instant horizon) {

	/** The attribute that marks a row whose upstream times lie in the future. */
	static final String FUTURE_FLAG = "timestampInFuture";

	/**
	 * @param page a mapped page
	 * @return the page as it is to be written
	 */
	SourcePage apply(SourcePage page) {
		return participants(unexpired(flagFuture(page)));
	}

	/**
	 * The newest change on a page that may move a watermark: times past the horizon never
	 * do.
	 * @param page a mapped page
	 * @return that time; null when the page has none
	 */
	@Nullable Instant newestBefore(SourcePage page) {
		return page.listedUpdatedAt()
			.stream()
			.filter((time) -> !time.isAfter(this.horizon))
			.max(Instant::compareTo)
			.orElse(null);
	}

	SourcePage unexpired(SourcePage page) {
		if (this.cutoff == null || page.items().stream().noneMatch((item) -> item.createdAt().isBefore(this.cutoff))) {
			return page;
		}
		return page.withItems(page.items().stream().filter((item) -> !item.createdAt().isBefore(this.cutoff)).toList());
	}

	SourcePage participants(SourcePage page) {
		if (this.participantPath == null || page.items().isEmpty()) {
			return page;
		}
		return page.withItems(page.items().stream().map((item) -> {
			JsonNode node = item.raw();
			for (String name : this.participantPath.split("\\.")) {
				node = (node != null) ? node.get(name) : null;
			}
			String value = (node != null && (node.isString() || node.isNumber())) ? node.asString().strip() : "";
			return value.isEmpty() ? item : item.withParticipantExternalId(value);
		}).toList());
	}

	SourcePage flagFuture(SourcePage page) {
		if (page.items().stream().noneMatch(this::inTheFuture)) {
			return page;
		}
		List<NormalizedInteraction> items = page.items()
			.stream()
			.map((item) -> inTheFuture(item) ? item.withAttribute(FUTURE_FLAG, BooleanNode.TRUE) : item)
			.toList();
		return page.withItems(items);
	}

	private boolean inTheFuture(NormalizedInteraction item) {
		return item.createdAt().isAfter(this.horizon) || item.updatedAt().isAfter(this.horizon);
	}

}
