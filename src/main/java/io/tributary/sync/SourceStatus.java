package io.tributary.sync;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.source.SourceKind;

/**
 * A connection's sync health.
 *
 * @param connection the connection's name
 * @param type its source kind
 * @param enabled whether it syncs on schedule
 * @param baseUrl the upstream it reads
 * @param pollInterval incremental period
 * @param fullSyncInterval full reconciliation period
 * @param health healthy (last finished run succeeded), failing (it failed), pending (no
 * run finished yet) or disabled
 * @param stale enabled, and no run succeeded within 3 poll intervals (counted from the
 * gateway's start when none ever did): the stored copy is behind
 * @param running whether a run is under way
 * @param lastRun the most recent run
 * @param lastSuccessAt when the last successful run finished
 * @param lagSeconds seconds since the last successful run started: the stored copy is at
 * least this fresh
 * @param interactions interactions stored for this connection
 * @param lastError the error of the most recent finished run, when it failed or was
 * interrupted
 * @param pass its full pass: open, backing off after failures (with the error), or idle
 */
public record SourceStatus(@Schema(example = "zylon-prod") String connection,
		@Schema(type = "string", description = "Source kind", example = "zylon") SourceKind type, boolean enabled,
		String baseUrl, Duration pollInterval, Duration fullSyncInterval, @Schema(allowableValues = {
				"healthy", "failing", "pending", "disabled" }) String health,
		boolean stale, boolean running, @Nullable SyncRun lastRun, @Nullable Instant lastSuccessAt,
		@Nullable Long lagSeconds, long interactions, @Nullable String lastError, PassStatus pass){
}
