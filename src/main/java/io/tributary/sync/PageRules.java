package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tributary.hygiene.FieldPaths;
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
 * <li>items whose times lie past the time the page is read plus the skew allowance (a bad
 * clock, milliseconds read as seconds) are flagged with {@value #FUTURE_FLAG};</li>
 * <li>times past the run's start plus the skew allowance never move a watermark.</li>
 * </ul>
 *
 * @param maxAge {@code tributary.retention.max-age}: items created longer ago than this
 * when the page is read are left out; null when retention is off
 * @param participantPath the path of the participant mapping
 * ({@code participant-external-id}); null when none
 * @param skew {@code tributary.sync.clock-skew}
 * @param horizon the run's start plus the skew: no later time moves a watermark
 */
record PageRules(@Nullable Duration maxAge, @Nullable FieldPaths participantPath, Duration skew, Instant horizon) {

	/** The attribute that marks a row whose upstream times lie in the future. */
	static final String FUTURE_FLAG = "timestampInFuture";

	/**
	 * @param page a mapped page
	 * @param now when it was read: a multi-hour run does not flag an update made after it
	 * began
	 * @return the page as it is to be written
	 */
	SourcePage apply(SourcePage page, Instant now) {
		return participants(unexpired(flagFuture(page, now.plus(this.skew)), now));
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

	private SourcePage unexpired(SourcePage page, Instant now) {
		Instant cutoff = (this.maxAge != null) ? now.minus(this.maxAge) : null;
		if (cutoff == null || page.items().stream().noneMatch((item) -> item.createdAt().isBefore(cutoff))) {
			return page;
		}
		return page.withItems(page.items().stream().filter((item) -> !item.createdAt().isBefore(cutoff)).toList());
	}

	private SourcePage participants(SourcePage page) {
		if (this.participantPath == null || page.items().isEmpty()) {
			return page;
		}
		return page.withItems(page.items().stream().map((item) -> {
			JsonNode node = this.participantPath.first(item.raw());
			String value = (node != null && (node.isString() || node.isNumber())) ? node.asString().strip() : "";
			return value.isEmpty() ? item : item.withParticipantExternalId(value);
		}).toList());
	}

	private SourcePage flagFuture(SourcePage page, Instant latest) {
		if (page.items().stream().noneMatch((item) -> after(item, latest))) {
			return page;
		}
		List<NormalizedInteraction> items = page.items()
			.stream()
			.map((item) -> after(item, latest) ? item.withAttribute(FUTURE_FLAG, BooleanNode.TRUE) : item)
			.toList();
		return page.withItems(items);
	}

	private static boolean after(NormalizedInteraction item, Instant latest) {
		return item.createdAt().isAfter(latest) || item.updatedAt().isAfter(latest);
	}

}
