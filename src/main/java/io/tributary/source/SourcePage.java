package io.tributary.source;

import java.time.Instant;
import java.util.List;

import io.tributary.interaction.NormalizedInteraction;

/**
 * One upstream page, mapped, and what it justifies.
 *
 * @param items the interactions to write (a connector may leave out items it knows are
 * unchanged)
 * @param fetched how many items the upstream page listed
 * @param listedCreatedAt the listed items' creation times, in the upstream's order: tells
 * whether the upstream really lists newest first, which the early stop relies on
 * @param newestChange the latest creation or update time among the listed items; null for
 * an empty page
 * @param position where the run stands (page number, cursor, project), recorded with the
 * checkpoint
 */
public record SourcePage(List<NormalizedInteraction> items, int fetched, List<Instant> listedCreatedAt,
		Instant newestChange, String position) {

	public SourcePage {
		items = List.copyOf(items);
		listedCreatedAt = List.copyOf(listedCreatedAt);
	}

	/**
	 * A page whose listed items were all written.
	 * @param items the page's interactions, in the upstream's order
	 * @param position where the run stands
	 * @return the page
	 */
	public static SourcePage of(List<NormalizedInteraction> items, String position) {
		return new SourcePage(items, items.size(), items.stream().map(NormalizedInteraction::createdAt).toList(),
				items.stream().map(NormalizedInteraction::updatedAt).max(Instant::compareTo).orElse(null), position);
	}

}
