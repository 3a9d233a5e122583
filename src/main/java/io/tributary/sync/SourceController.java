package io.tributary.sync;

import org.jspecify.annotations.Nullable;
import java.net.URI;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.common.ConnectionScope;
import io.tributary.common.SignedCursors;
import io.tributary.interaction.StoredInteractions;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Connections;
import io.tributary.source.SyncMode;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/sources}: each configured connection's sync health, and on-demand runs.
 */
@RestController
@RequestMapping(path = "/api/v1/sources", produces = "application/json")
@Tag(name = "Sources", description = "Configured upstream connections and their sync health")
class SourceController {

	private final Connections connections;

	private final SyncService sync;

	private final StoredInteractions stored;

	private final RejectStore rejectStore;

	private final Freshness freshness;

	private final FullPasses passes;

	private final SignedCursors cursors;

	private final ConnectionScope scope;

	/** Tags this API's cursors, so another keyset API's cursor is refused here. */
	private static final String REJECTS_CURSOR = "rejects.v1";

	SourceController(Connections connections, SyncService sync,
			@Qualifier(SyncConfiguration.API) StoredInteractions stored,
			@Qualifier(SyncConfiguration.API) RejectStore rejectStore, SignedCursors cursors, ConnectionScope scope,
			Freshness freshness, @Qualifier(SyncConfiguration.API) FullPasses passes) {
		this.freshness = freshness;
		this.passes = passes;
		this.scope = scope;
		this.rejectStore = rejectStore;
		this.cursors = cursors;
		this.connections = connections;
		this.sync = sync;
		this.stored = stored;
	}

	@GetMapping
	@Operation(operationId = "listSources", summary = "List connections with their sync health",
			description = "Every configured connection: kind, schedule, health (healthy, failing, pending, disabled), whether it is stale (no success within 3 poll intervals), last run, last success, lag, stored interactions and last error.")
	@ApiResponse(responseCode = "200", description = "Every configured connection")
	List<SourceStatus> list() {
		List<ConfiguredConnection> visible = this.connections.all(this.scope);
		Map<String, Long> counts = this.stored
			.countsByConnection(visible.stream().map(ConfiguredConnection::name).toList());
		return visible.stream().map((connection) -> status(connection, counts)).toList();
	}

	@GetMapping("/{connection}")
	@Operation(operationId = "getSource", summary = "One connection's sync health",
			description = "As in the list, for one connection; 404 for a name that is not configured.")
	@ApiResponse(responseCode = "200", description = "The connection")
	@ApiResponse(responseCode = "404", description = "No connection has this name")
	SourceStatus get(
			@Parameter(description = "Connection name", example = "zylon-prod") @PathVariable String connection) {
		ConfiguredConnection configured = this.connections.get(connection, this.scope);
		return status(configured, this.stored.countsByConnection(List.of(connection)));
	}

	@PostMapping("/{connection}/sync")
	@Operation(operationId = "triggerSync", summary = "Start a sync run now",
			description = "Runs in the background; follow it at the returned run URL.")
	@ApiResponse(responseCode = "202", description = "The run started",
			headers = @Header(name = "Location", description = "The run, to follow: /api/v1/sync-runs/{runId}",
					schema = @Schema(type = "string", format = "uri-reference", maxLength = 40,
							pattern = "^/api/v1/sync-runs/[0-9]+$")))
	@ApiResponse(responseCode = "404", description = "No connection has this name")
	@ApiResponse(responseCode = "409", description = "The connection is already running")
	@ApiResponse(responseCode = "400", description = "Unknown mode")
	ResponseEntity<RunStarted> sync(
			@Parameter(description = "Connection name", example = "zylon-prod") @PathVariable String connection,
			@Parameter(description = "incremental (default: newest first, down to the watermark) or full (everything)",
					example = "full") @RequestParam(required = false) SyncMode mode) {
		this.connections.get(connection, this.scope);
		if (mode == SyncMode.RENORMALIZE) {
			throw new io.tributary.common.InvalidParameter("mode", "Parameter 'mode': renormalize reads no upstream; "
					+ "start it with POST /api/v1/admin/renormalize?connection=" + connection);
		}
		SyncMode effective = (mode != null) ? mode : SyncMode.INCREMENTAL;
		return started(this.sync, connection, effective);
	}

	/**
	 * Starts a run and answers 202 with where to follow it.
	 */
	static ResponseEntity<RunStarted> started(SyncService sync, String connection, SyncMode mode) {
		long id = sync.trigger(connection, mode);
		URI location = URI.create("/api/v1/sync-runs/" + id);
		return ResponseEntity.accepted()
			.location(location)
			.body(new RunStarted(id, connection, mode, location.toString()));
	}

	private SourceStatus status(ConfiguredConnection configured, Map<String, Long> counts) {
		String name = configured.name();
		var connection = configured.connection();
		Freshness.State state = this.freshness.of(configured);
		return new SourceStatus(name, configured.kind(), connection.enabled(), connection.shownBaseUrl(),
				connection.pollInterval(), connection.fullSyncInterval(), state.health(), state.stale(),
				state.running(), state.lastRun(), state.lastSuccessAt(), state.lagSeconds(),
				counts.getOrDefault(name, 0L), state.lastError(), this.passes.status(configured));
	}

	@GetMapping("/{connection}/rejects")
	@Operation(operationId = "listRejects", summary = "Items a connection could not store",
			description = "The quarantine: upstream items that could not be mapped or stored (no id, no readable creation time, a value of an impossible type, a value PostgreSQL refuses), newest first, with the reason and the payload (secrets removed). A run that rejects items still succeeds; a later run that reads an item again retries it and clears it once stored.")
	@ApiResponse(responseCode = "200", description = "One page of rejects")
	@ApiResponse(responseCode = "404", description = "No connection has this name")
	@ApiResponse(responseCode = "400", description = "A parameter is unknown or malformed")
	RejectPage rejects(
			@Parameter(description = "Connection name", example = "zylon-prod") @PathVariable String connection,
			@Parameter(description = "Page size, 1..200 (default 50)",
					example = "50") @RequestParam(required = false) @Min(1) @Max(200) Integer limit,
			@Parameter(description = "page.nextCursor of the previous page",
					example = "cmVqZWN0cy52MXw0Mg.c2ln") @RequestParam(required = false) String cursor) {
		this.connections.get(connection, this.scope);
		SignedCursors.Slice<RejectStore.Reject> slice = this.cursors.byDescendingId(REJECTS_CURSOR, limit, cursor,
				(before, size) -> this.rejectStore.list(connection, before, size), RejectStore.Reject::id);
		return new RejectPage(slice.items(),
				new RejectPage.RejectPageInfo(slice.limit(), slice.nextCursor(), slice.hasNext()));
	}

	/**
	 * @param items the rejects, newest first
	 * @param page paging state
	 */
	record RejectPage(List<RejectStore.Reject> items, RejectPageInfo page) {

		record RejectPageInfo(int limit, @Nullable String nextCursor, boolean hasNext) {
		}

	}

	/**
	 * @param runId the run's id
	 * @param connection the connection
	 * @param mode its mode
	 * @param run where to follow it
	 */
	record RunStarted(@Schema(example = "42") long runId, String connection, SyncMode mode,
			@Schema(example = "/api/v1/sync-runs/42") String run) {
	}

}
