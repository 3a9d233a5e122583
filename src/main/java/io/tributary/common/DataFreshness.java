package io.tributary.common;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * How fresh the stored copy is of each connection that could contribute to an answer, so
 * a dashboard can say "Flockx data is 2 h old" instead of drawing a silently incomplete
 * chart.
 *
 * @param partial some connection that could contribute is stale, or its last run did not
 * succeed: the answer may miss what it has not stored yet
 * @param connections each connection that could contribute (the answer's source and
 * connection filters, and the key's connections, decide which)
 */
public record DataFreshness(boolean partial, List<Connection> connections) {

	/**
	 * @param connection the connection's name
	 * @param source its source kind
	 * @param lastSuccessAt when its last successful run finished; null before the first
	 * @param lagSeconds seconds since its last successful run started (the copy is at
	 * least this fresh); null before the first
	 * @param stale no run succeeded within 3 poll intervals
	 * @param lastRunFailed its last finished run failed or was interrupted
	 */
	public record Connection(@Schema(example = "flockx-prod") String connection,
			@Schema(example = "flockx") String source, @Nullable Instant lastSuccessAt,
			@Schema(example = "7200") @Nullable Long lagSeconds, boolean stale, boolean lastRunFailed) {
	}

	/**
	 * Tells the freshness of the connections an answer could draw from.
	 */
	public interface Source {

		/**
		 * @param sources the answer's source kinds; null or empty for all
		 * @param connection the answer's connection; null for all
		 * @return the freshness of the connections of those kinds (or that one) the
		 * caller may see
		 */
		DataFreshness of(@Nullable List<String> sources, @Nullable String connection);

	}

}
