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
		return "W/\"" + digest(page.items()
			.stream()
			.map((item) -> item.id() + "@" + item.lastSyncedAt() + "@" + item.deletedAt())
			.collect(Collectors.joining(",")), page.page(), flags(page.freshness())) + "\"";
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
