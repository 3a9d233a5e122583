package io.tributary.source;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.tributary.interaction.NormalizedInteraction;
import tools.jackson.databind.JsonNode;

/**
 * One upstream page, mapped, and what it justifies.
 *
 * @param items the interactions to write (a connector may leave out items it knows are
 * unchanged)
 * @param rejected the listed items that could not be mapped, to quarantine
 * @param fetched how many items the upstream page listed
 * @param listedCreatedAt the listed items' creation times, in the upstream's order
 * @param listedUpdatedAt their last-change times (creation where the upstream has none),
 * in the same order; with the creation times, they tell whether the upstream really lists
 * newest first, which the early stop relies on
 */
public record SourcePage(List<NormalizedInteraction> items, List<Rejected> rejected, int fetched,
		List<Instant> listedCreatedAt, List<Instant> listedUpdatedAt) {

	public SourcePage {
		items = List.copyOf(items);
		rejected = List.copyOf(rejected);
		listedCreatedAt = List.copyOf(listedCreatedAt);
		listedUpdatedAt = List.copyOf(listedUpdatedAt);
	}

	/**
	 * A page whose listed items were all written.
	 * @param items the page's interactions, in the upstream's order
	 * @return the page
	 */
	public static SourcePage of(List<NormalizedInteraction> items) {
		return new SourcePage(items, List.of(), items.size(),
				items.stream().map(NormalizedInteraction::createdAt).toList(),
				items.stream().map(NormalizedInteraction::updatedAt).toList());
	}

	/**
	 * Maps a listed page item by item: an item {@code map} refuses (by any exception) is
	 * rejected with its reason instead of failing the page.
	 * @param nodes the page's items as received, in the upstream's order
	 * @param map maps one item
	 * @return the page: mapped items, rejected ones, and the listed count
	 */
	public static SourcePage mapping(List<JsonNode> nodes, Function<JsonNode, NormalizedInteraction> map) {
		List<NormalizedInteraction> items = new ArrayList<>();
		List<Rejected> rejected = new ArrayList<>();
		for (JsonNode node : nodes) {
			try {
				items.add(map.apply(node));
			}
			catch (RuntimeException ex) {
				rejected.add(Rejected.of(node, ex));
			}
		}
		return new SourcePage(items, rejected, nodes.size(),
				items.stream().map(NormalizedInteraction::createdAt).toList(),
				items.stream().map(NormalizedInteraction::updatedAt).toList());
	}

	/**
	 * @return the latest change among the listed items; null for an empty page
	 */
	public Instant newestChange() {
		return this.listedUpdatedAt.stream().max(Instant::compareTo).orElse(null);
	}

}
