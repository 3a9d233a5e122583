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
 * @param listedCreatedAt the listed items' creation times, in the upstream's order
 * @param listedUpdatedAt their last-change times (creation where the upstream has none),
 * in the same order; with the creation times, they tell whether the upstream really lists
 * newest first, which the early stop relies on
 */
public record SourcePage(List<NormalizedInteraction> items, int fetched, List<Instant> listedCreatedAt,
		List<Instant> listedUpdatedAt) {

	public SourcePage {
		items = List.copyOf(items);
		listedCreatedAt = List.copyOf(listedCreatedAt);
		listedUpdatedAt = List.copyOf(listedUpdatedAt);
	}

	/**
	 * A page whose listed items were all written.
	 * @param items the page's interactions, in the upstream's order
	 * @return the page
	 */
	public static SourcePage of(List<NormalizedInteraction> items) {
		return new SourcePage(items, items.size(), items.stream().map(NormalizedInteraction::createdAt).toList(),
				items.stream().map(NormalizedInteraction::updatedAt).toList());
	}

	/**
	 * @return the latest change among the listed items; null for an empty page
	 */
	public Instant newestChange() {
		return this.listedUpdatedAt.stream().max(Instant::compareTo).orElse(null);
	}

}
