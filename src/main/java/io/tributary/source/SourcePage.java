package io.tributary.source;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.tributary.hygiene.PersonalData;
import io.tributary.interaction.NormalizedInteraction;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * One upstream page of one stream, mapped, and what it justifies; or the end of a stream
 * (see {@link #end}).
 *
 * @param stream the ordered stream the page belongs to ({@code list},
 * {@code project:<id>}, {@code thread:<id>}): watermarks and resume positions are kept
 * per stream
 * @param items the interactions to write (a connector may leave out items it knows are
 * unchanged)
 * @param rejected the listed items that could not be mapped, to quarantine
 * @param fetched how many items the upstream page listed
 * @param listedIds the upstream ids of the listed items, written or not (unchanged,
 * rejected): what a full pass saw, so stored rows it no longer lists can be found
 * @param listedCreatedAt the creation times of the listed items that could be read, in
 * the upstream's order (not one per id: a rejected item has none; see {@code listed})
 * @param listedUpdatedAt their last-change times (creation where the upstream has none),
 * in the same order: what may move the watermark
 * @param position where this page was read from, in the connector's own words (page
 * number, offset, cursor, pinned bounds): a full run that stops resumes by reading this
 * page again (see {@link SyncRequest#resumeFrom})
 * @param end whether this is the end marker of its stream: the stream was read down to
 * its stop point (or its end), so its watermark may move
 * @param total how many items the stream's whole listing holds, where the upstream says
 * so (Flockx {@code meta.total}, Zylon {@code total_count}); null where it does not: a
 * full run's progress is measured against it
 * @param listed every listed item, in the upstream's order, with its own id and times
 * (null times for an item that could not be read): what the early stop compares, one item
 * at a time, so a rejected item never shifts one item's id against another's times
 */
public record SourcePage(String stream, List<NormalizedInteraction> items, List<Rejected> rejected, int fetched,
		List<String> listedIds, List<Instant> listedCreatedAt, List<Instant> listedUpdatedAt, String position,
		boolean end, @Nullable Long total, List<Listed> listed) {

	public SourcePage {
		items = List.copyOf(items);
		rejected = List.copyOf(rejected);
		listedIds = List.copyOf(listedIds);
		listedCreatedAt = List.copyOf(listedCreatedAt);
		listedUpdatedAt = List.copyOf(listedUpdatedAt);
		listed = List.copyOf(listed);
	}

	/**
	 * A page whose listing is known by its lists alone: {@link #listed()} pairs the ids
	 * with the times when there are as many of each, and otherwise holds the times alone
	 * (no ids: the early stop then goes by time only).
	 */
	public SourcePage(String stream, List<NormalizedInteraction> items, List<Rejected> rejected, int fetched,
			List<String> listedIds, List<Instant> listedCreatedAt, List<Instant> listedUpdatedAt, String position,
			boolean end, @Nullable Long total) {
		this(stream, items, rejected, fetched, listedIds, listedCreatedAt, listedUpdatedAt, position, end, total,
				Listed.zip(listedIds, listedCreatedAt, listedUpdatedAt));
	}

	/**
	 * A page whose listed items were all written.
	 * @param items the page's interactions, in the upstream's order
	 * @return the page
	 */
	public static SourcePage of(List<NormalizedInteraction> items) {
		return new SourcePage(null, items, List.of(), items.size(),
				items.stream().map(NormalizedInteraction::sourceId).toList(),
				items.stream().map(NormalizedInteraction::createdAt).toList(),
				items.stream().map(NormalizedInteraction::updatedAt).toList(), null, false, null);
	}

	/**
	 * @param stream the stream that was read to its stop point or its end
	 * @return its end marker
	 */
	public static SourcePage end(String stream) {
		return new SourcePage(stream, List.of(), List.of(), 0, List.of(), List.of(), List.of(), null, true, null,
				List.of());
	}

	/**
	 * @param stream the stream this page belongs to
	 * @param position where it was read from
	 * @return this page, placed
	 */
	public SourcePage at(String stream, String position) {
		return new SourcePage(stream, this.items, this.rejected, this.fetched, this.listedIds, this.listedCreatedAt,
				this.listedUpdatedAt, position, this.end, this.total, this.listed);
	}

	/**
	 * @param items the interactions to write instead (the listing stays as it was)
	 * @return this page, with those items
	 */
	public SourcePage withItems(List<NormalizedInteraction> items) {
		return new SourcePage(this.stream, items, this.rejected, this.fetched, this.listedIds, this.listedCreatedAt,
				this.listedUpdatedAt, this.position, this.end, this.total, this.listed);
	}

	/**
	 * @param total how many items the stream's listing holds, as the upstream reported;
	 * null when it did not
	 * @return this page, with the total
	 */
	public SourcePage withTotal(@Nullable Long total) {
		return new SourcePage(this.stream, this.items, this.rejected, this.fetched, this.listedIds,
				this.listedCreatedAt, this.listedUpdatedAt, this.position, this.end, total, this.listed);
	}

	/** The stream of the pages of open items read again by their detail. */
	public static final String OPEN = "open";

	/**
	 * Open items read again, each by its own detail call, for
	 * {@link SourceConnector#refresh}: at most {@code concurrency} calls at once, in
	 * pages of {@code page-size} of stream {@value #OPEN}, mapped under the personal-data
	 * rule; an item whose detail answers 404 is left out, any other failure fails the
	 * read.
	 * @param request the run's request
	 * @param sourceIds the open items
	 * @param concurrency the most detail calls at once
	 * @param detail one item's detail, decoded
	 * @param map the mapping of one detail
	 * @return the pages (none for no items)
	 */
	public static Flux<SourcePage> byDetail(SyncRequest request, List<String> sourceIds, int concurrency,
			Function<String, Mono<JsonNode>> detail, Function<JsonNode, NormalizedInteraction> map) {
		return Flux.fromIterable(sourceIds)
			.buffer(request.connection().pageSize())
			.concatMap((ids) -> Flux.fromIterable(ids)
				.flatMapSequential(
						(id) -> detail.apply(id)
							.onErrorResume((ex) -> ex instanceof UpstreamException upstream
									&& Integer.valueOf(404).equals(upstream.status()), (ex) -> Mono.empty()),
						concurrency)
				.collectList()
				.filter((nodes) -> !nodes.isEmpty())
				.map((nodes) -> mapping(request, nodes, map).at(OPEN, null)), 0);
	}

	/**
	 * Maps a listed page item by item, each item first put through the connection's
	 * personal-data rule, so what is mapped (and stored) and what is quarantined never
	 * holds the fields it removes or hashes: an item {@code map} refuses (by any
	 * exception) is rejected with its reason instead of failing the page.
	 * @param nodes the page's items as received, in the upstream's order
	 * @param personalData the connection's rule ({@link SyncRequest#personalData()})
	 * @param map maps one item, as the rule left it
	 * @return the page: mapped items, rejected ones, and the listed count
	 */
	public static SourcePage mapping(List<JsonNode> nodes, PersonalData personalData,
			Function<JsonNode, NormalizedInteraction> map) {
		return mapping(nodes, personalData, RunDeadline.NONE, map);
	}

	/**
	 * Maps a listed page item by item as {@link #mapping(List, PersonalData, Function)}
	 * does, under the run's personal-data rule and within its time budget: the deadline
	 * is checked before each item, so a page of items that each cost long (their rules,
	 * their secret scan) cannot hold the run past its {@code run-timeout}.
	 * @param request the run's request
	 * @param nodes the page's items as received, in the upstream's order
	 * @param map maps one item, as the rule left it
	 * @return the page
	 * @throws RunDeadline.Exceeded when the run's deadline passes before the page is
	 * mapped
	 */
	public static SourcePage mapping(SyncRequest request, List<JsonNode> nodes,
			Function<JsonNode, NormalizedInteraction> map) {
		return mapping(nodes, request.personalData(), request.deadline(), map);
	}

	/**
	 * Maps a listed page item by item as {@link #mapping(List, PersonalData, Function)}
	 * does, checking the run's deadline before each item.
	 * @param nodes the page's items, in the upstream's order
	 * @param personalData the rule each item goes through first
	 * @param deadline the run's deadline ({@link SyncRequest#deadline()})
	 * @param map maps one item, as the rule left it
	 * @return the page
	 * @throws RunDeadline.Exceeded when the deadline passes before the page is mapped
	 */
	public static SourcePage mapping(List<JsonNode> nodes, PersonalData personalData, RunDeadline deadline,
			Function<JsonNode, NormalizedInteraction> map) {
		List<NormalizedInteraction> items = new ArrayList<>();
		List<Rejected> rejected = new ArrayList<>();
		List<Listed> listed = new ArrayList<>();
		for (JsonNode received : nodes) {
			deadline.check();
			JsonNode node = personalData.apply(received);
			try {
				NormalizedInteraction item = map.apply(node);
				items.add(item);
				listed.add(new Listed(id(node), item.createdAt(), item.updatedAt()));
			}
			catch (RuntimeException ex) {
				rejected.add(Rejected.of(node, ex));
				listed.add(new Listed(id(node), null, null));
			}
		}
		return new SourcePage(null, items, rejected, nodes.size(), ids(nodes),
				items.stream().map(NormalizedInteraction::createdAt).toList(),
				items.stream().map(NormalizedInteraction::updatedAt).toList(), null, false, null, listed);
	}

	/**
	 * @param nodes listed items as received
	 * @return their readable upstream ids
	 */
	public static List<String> ids(List<JsonNode> nodes) {
		return nodes.stream().map(SourcePage::id).filter(Objects::nonNull).toList();
	}

	/**
	 * @param node a listed item as received
	 * @return its upstream id when it has a readable one (a non-blank string or a
	 * number), else null
	 */
	public static String id(JsonNode node) {
		JsonNode id = (node != null) ? node.path("id") : null;
		return (id != null && (id.isString() || id.isNumber()) && !id.asString().isBlank()) ? id.asString() : null;
	}

	/**
	 * One listed item as the early stop sees it.
	 *
	 * @param id its upstream id; null when it has no readable one
	 * @param createdAt its creation time; null when the item could not be read
	 * @param updatedAt its last change (its creation where the upstream has none); null
	 * when the item could not be read
	 */
	public record Listed(@Nullable String id, @Nullable Instant createdAt, @Nullable Instant updatedAt) {

		/**
		 * @return whether the item carries both its times
		 */
		public boolean timed() {
			return this.createdAt != null && this.updatedAt != null;
		}

		static List<Listed> zip(List<String> ids, List<Instant> createdAt, List<Instant> updatedAt) {
			List<Listed> listed = new ArrayList<>(createdAt.size());
			boolean paired = ids.size() == createdAt.size();
			for (int i = 0; i < createdAt.size() && i < updatedAt.size(); i++) {
				listed.add(new Listed(paired ? ids.get(i) : null, createdAt.get(i), updatedAt.get(i)));
			}
			return listed;
		}

	}

	/**
	 * @return the latest change among the listed items; null for an empty page
	 */
	public Instant newestChange() {
		return this.listedUpdatedAt.stream().max(Instant::compareTo).orElse(null);
	}

}
