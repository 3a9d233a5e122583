package io.tributary.interaction;

import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.tributary.common.DataFreshness;
import io.tributary.common.Digests;

/**
 * The entity tags of the data answers: an answer's tag changes exactly when what it says
 * changes, so {@code If-None-Match} can spare a dashboard the body (a 304).
 */
final class ETags {

	private ETags() {
	}

	/**
	 * A strong tag of one interaction: its stored content hash (which covers every field
	 * the upstream sent), whether it is deleted, and whether raw is included.
	 */
	static String of(InteractionDetail detail, boolean includeRaw) {
		return "\"" + digest(detail.contentHash(), detail.summary().deletedAt(), includeRaw) + "\"";
	}

	/**
	 * A weak tag of a page: its rows' ids and last changes, the paging state and the
	 * freshness flags (stale, last run failed); not the lag nor the last success, which
	 * move on every run even when nothing changed.
	 */
	static String of(InteractionPage page) {
		return ofPage(page.items()
			.stream()
			.map((item) -> key(item.id().toString(), item.lastSyncedAt().toString(),
					(item.deletedAt() != null) ? item.deletedAt().toString() : null))
			.collect(Collectors.joining(",")), page.page(), page.freshness());
	}

	/**
	 * @param id an item's id
	 * @param lastSyncedAt its last change, as the API writes it
	 * @param deletedAt its deletion, as the API writes it, or null
	 * @return what the page's tag reads of the item
	 */
	static String key(String id, String lastSyncedAt, String deletedAt) {
		return id + "@" + lastSyncedAt + "@" + deletedAt;
	}

	/**
	 * The tag of {@link #of(InteractionPage)} from its parts, for a page written straight
	 * from its rows.
	 * @param items the items' {@link #key}s, comma-separated
	 * @param page the paging state
	 * @param freshness the freshness block
	 * @return the weak tag
	 */
	static String ofPage(String items, InteractionPage.PageInfo page, DataFreshness freshness) {
		return "W/\"" + digest(items, page, flags(freshness)) + "\"";
	}

	/**
	 * A weak tag of rollups: the groups as they would be written, and the freshness
	 * flags.
	 */
	static String of(InteractionStatsPage stats) {
		return "W/\"" + digest(stats.groupBy(), stats.interval(), stats.tz(), stats.computedFrom(), stats.groups(),
				flags(stats.freshness())) + "\"";
	}

	private static String flags(DataFreshness freshness) {
		return freshness.partial() + freshness.connections()
			.stream()
			.map((connection) -> connection.connection() + ":" + connection.stale() + ":" + connection.lastRunFailed())
			.collect(Collectors.joining(","));
	}

	private static String digest(Object... parts) {
		String text = Stream.of(parts).map(Objects::toString).collect(Collectors.joining("\u0001"));
		return HexFormat.of().formatHex(Digests.sha256(text), 0, 16);
	}

}
