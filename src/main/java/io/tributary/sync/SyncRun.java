package io.tributary.sync;

import org.jspecify.annotations.Nullable;
import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.source.SyncMode;

/**
 * One sync run of one connection.
 *
 * @param id run id
 * @param connection the connection
 * @param mode incremental or full
 * @param startedAt start
 * @param finishedAt end; null while running
 * @param outcome running, succeeded, failed, interrupted (by a shutdown) or paused (a
 * scheduled full run that read its slice of the pass: the pass goes on at a later poll)
 * @param pages upstream pages read and committed
 * @param fetched items the upstream listed
 * @param inserted new interactions stored
 * @param updated stored interactions whose content changed
 * @param unchanged items already stored as they are
 * @param rejected items that could not be mapped or stored, quarantined (see {@code GET
 * /api/v1/sources/{connection}/rejects})
 * @param deleted stored interactions a full run marked deleted upstream
 * @param error why the run failed
 * @param warning what a run that did not fail reports: deletions held back by the share
 * guard ({@code tributary.sync.deletions.max-share})
 * @param resumedFrom the stopped full run this run resumed (its committed pages were not
 * read again); null when it started from the beginning
 * @param progress how far it is, while it runs; null once it finished
 */
public record SyncRun(@Schema(example = "42") long id, @Schema(example = "zylon-prod") String connection, SyncMode mode,
		Instant startedAt, @Nullable Instant finishedAt, @Schema(allowableValues = {
				"running", "succeeded", "failed", "interrupted", "paused" }) String outcome,
		int pages, int fetched, int inserted, int updated, int unchanged, int rejected, int deleted,
		@Schema(example = "GET /api/v1/interactions answered 401: {\"error\":\"Unauthorized\"}") @Nullable String error,
		@Schema(example = "deletions held: this pass would mark 412 of 1650 rows deleted, more than the share guard "
				+ "allows (tributary.sync.deletions.max-share 0.2); nothing was marked") @Nullable String warning,
		@Schema(example = "41") @Nullable Long resumedFrom, @Nullable SyncProgress progress){
}
