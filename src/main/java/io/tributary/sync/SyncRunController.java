package io.tributary.sync;

import org.jspecify.annotations.Nullable;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.common.ConnectionScope;
import io.tributary.common.SignedCursors;
import io.tributary.source.Connections;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/sync-runs}: the run history, newest first.
 */
@RestController
@RequestMapping(path = "/api/v1/sync-runs", produces = "application/json")
@Tag(name = "Sync runs", description = "History of sync runs")
@ApiResponse(responseCode = "400", description = "A parameter is unknown or malformed")
@ApiResponse(responseCode = "404", description = "Unknown connection or run")
class SyncRunController {

	/** Tags this API's cursors, so another keyset API's cursor is refused here. */
	private static final String CURSOR_API = "sync-runs.v1";

	private final SyncRunStore runs;

	private final Connections connections;

	private final SignedCursors cursors;

	private final ConnectionScope scope;

	SyncRunController(@Qualifier(SyncConfiguration.API) SyncRunStore runs, Connections connections,
			SignedCursors cursors, ConnectionScope scope) {
		this.scope = scope;
		this.runs = runs;
		this.connections = connections;
		this.cursors = cursors;
	}

	@GetMapping
	@Operation(operationId = "listSyncRuns", summary = "List sync runs, newest first",
			description = "Keyset pages: pass page.nextCursor as cursor for older runs. Counts per run: pages, fetched, inserted, updated, unchanged; error says why a run failed.")
	@ApiResponse(responseCode = "200", description = "One page of runs")
	RunPage list(
			@Parameter(description = "Only this connection's runs",
					example = "zylon-prod") @RequestParam(required = false) String connection,
			@Parameter(description = "Page size, 1..200 (default 50)",
					example = "50") @RequestParam(required = false) @Min(1) @Max(200) Integer limit,
			@Parameter(description = "page.nextCursor of the previous page",
					example = "cnVuLWJlZm9yZTo0Mg") @RequestParam(required = false) String cursor) {
		if (connection != null) {
			this.connections.get(connection, this.scope);
		}
		SignedCursors.Slice<SyncRun> slice = this.cursors.byDescendingId(CURSOR_API, limit, cursor,
				(before, size) -> this.runs.list(connection, this.scope.limitedTo().orElse(null), before, size),
				SyncRun::id);
		return new RunPage(slice.items(), new RunPage.RunPageInfo(slice.limit(), slice.nextCursor(), slice.hasNext()));
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getSyncRun", summary = "One sync run",
			description = "Poll it after POST /api/v1/sources/{connection}/sync: outcome is running until the run ends.")
	@ApiResponse(responseCode = "200", description = "The run")
	SyncRun get(@Parameter(description = "Run id", example = "42") @PathVariable long id) {
		return this.runs.find(id)
			.filter((run) -> this.scope.allows(run.connection()))
			.orElseThrow(() -> new RunNotFound(id));
	}

	/**
	 * @param items the runs
	 * @param page paging state
	 */
	record RunPage(List<SyncRun> items, RunPageInfo page) {

		record RunPageInfo(int limit, @Nullable String nextCursor, boolean hasNext) {
		}

	}

}
