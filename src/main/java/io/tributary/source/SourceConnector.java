package io.tributary.source;

import java.net.URI;
import java.util.List;

import io.tributary.hygiene.PersonalData;
import io.tributary.interaction.NormalizedInteraction;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * Reads one source kind, and is that kind's registration: its name, its default base URL
 * and its own settings come from here, so a new kind is one new package. The sync service
 * picks the connector by the connection's {@code type} and writes each page it emits in
 * one transaction before asking for the next; cancelling the stream stops the reading.
 */
public interface SourceConnector {

	/**
	 * @return the kind this connector reads, as written in {@code type:}
	 */
	SourceKind kind();

	/**
	 * @return the vendor's public base URL, or null when the kind is self-hosted and
	 * every connection must set {@code base-url}
	 */
	default URI defaultBaseUrl() {
		return null;
	}

	/**
	 * The fields of this kind's items known to hold personal data (e-mail, name,
	 * picture), as field paths (see {@link PersonalData}): removed or hashed when a
	 * connection sets {@code personal-data.mode}. Identifiers the customer filters by are
	 * not listed: connections add them to {@code personal-data.fields} when they want
	 * them hashed. Every item tree goes through {@link SyncRequest#personalData()} before
	 * it is mapped or quarantined ({@link SourcePage#mapping} does it).
	 * @return the paths; none by default
	 */
	default List<String> personalFields() {
		return List.of();
	}

	/**
	 * Binds and checks this kind's own settings for one connection, at start-up. A
	 * connection that cannot work is refused with {@link KindSettings#invalid}.
	 * @param settings the binder for {@code tributary.sources.<name>.<kind>}
	 * @return the settings the connector reads back with
	 * {@link SyncRequest#settings(Class)}; null when the kind has none
	 */
	default Object settings(KindSettings settings) {
		return null;
	}

	/**
	 * The run's pages, newest first where the upstream allows, ending at the end of the
	 * data or, for incremental runs, after the first page wholly older than
	 * {@link SyncRequest#stopBefore()} (see {@link Paging.StopRule}: no page is requested
	 * after the last one needed).
	 * @param request the connection, its settings, the mode and checkpoint
	 * @return the pages; an error ends the run as failed
	 */
	Flux<SourcePage> fetch(SyncRequest request);

	/**
	 * @return the version of this kind's mapping: raise it when the mapping of stored
	 * upstream items changes, so renormalization re-maps the rows an older one wrote
	 */
	default int mapperVersion() {
		return 1;
	}

	/**
	 * Maps a stored item again, from its {@code raw} alone (no upstream call): the same
	 * mapping {@link #fetch} applies to what it reads.
	 * @param request the connection (its settings; no paging state)
	 * @param raw the item as stored
	 * @return the interaction
	 * @throws RuntimeException when the item cannot be mapped
	 */
	default NormalizedInteraction remap(SyncRequest request, JsonNode raw) {
		throw new UnsupportedOperationException(kind().name() + " cannot map stored items again");
	}

	/**
	 * Asks the upstream about items that a successful full pass no longer listed, so they
	 * are marked deleted only when the upstream confirms it. Kinds with a detail endpoint
	 * use {@link Existence#byDetail}; the default says nothing can be trusted, and such
	 * rows count as deleted after two consecutive full passes missed them.
	 * @param request the connection (a run's request)
	 * @param sourceIds the items the pass no longer listed
	 * @param probeId an item the pass listed, to check the detail endpoint with
	 * @return what the upstream says of each item
	 */
	default Flux<Existence> exists(SyncRequest request, List<String> sourceIds, String probeId) {
		return Existence.unknown(sourceIds);
	}

	/**
	 * Reads again stored items that are still open (in progress), each by its own detail
	 * call, so that an incremental run re-checks them at the cost of the open items, not
	 * by reading the listing back to the oldest of them. Kinds without a detail endpoint
	 * that answers by the listed id keep the default; their open items are re-read by a
	 * bounded read-back and by full passes.
	 * @param request the incremental run's request
	 * @param sourceIds open items, oldest first, a bounded number
	 * @return pages (of stream {@code open}, with no end marker) of the items as the
	 * upstream has them now, mapped like listed items and under the connection's
	 * personal-data rule; an item the detail no longer answers (404) is left out, and a
	 * failed call fails the run like a failed page; empty for kinds that cannot
	 */
	default Flux<SourcePage> refresh(SyncRequest request, List<String> sourceIds) {
		return Flux.empty();
	}

	/**
	 * @return whether {@link #refresh} reads open items again
	 */
	default boolean refreshes() {
		return false;
	}

}
