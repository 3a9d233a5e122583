package io.tributary.sync;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.common.ConnectionScope;
import io.tributary.source.Connections;
import io.tributary.source.SyncMode;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin}: maintenance of the stored copy (scope {@code operate}).
 */
@RestController
@RequestMapping(path = "/api/v1/admin", produces = "application/json")
@Tag(name = "Admin", description = "Maintenance of the stored copy")
class AdminController {

	private final Connections connections;

	private final SyncService sync;

	private final ConnectionScope scope;

	AdminController(Connections connections, SyncService sync, ConnectionScope scope) {
		this.connections = connections;
		this.sync = sync;
		this.scope = scope;
	}

	@PostMapping("/renormalize")
	@Operation(operationId = "renormalize", summary = "Map a connection's stored rows again",
			description = "Rows an older version of the connection's mapper wrote (each row records its mapper_version) are mapped again from their stored raw, with the current mapper and the connection's current settings, in batches of 500, without calling the upstream. Runs in the background as a run of mode renormalize (follow it at the returned run URL: pages, counts, progress); it holds the connection's lock, so no sync runs meanwhile.")
	@ApiResponse(responseCode = "202", description = "The run started",
			headers = @Header(name = "Location", description = "The run, to follow: /api/v1/sync-runs/{runId}",
					schema = @Schema(type = "string", format = "uri-reference", maxLength = 40,
							pattern = "^/api/v1/sync-runs/[0-9]+$")))
	@ApiResponse(responseCode = "404", description = "No connection has this name")
	@ApiResponse(responseCode = "409", description = "The connection is running")
	@ApiResponse(responseCode = "400", description = "No connection given")
	ResponseEntity<SourceController.RunStarted> renormalize(
			@Parameter(description = "Connection name", example = "flockx-prod") @RequestParam @Pattern(
					regexp = "[^\\x00]*[^\\s\\x00][^\\x00]*", message = "must not be blank") String connection) {
		this.connections.get(connection, this.scope);
		return SourceController.started(this.sync, connection, SyncMode.RENORMALIZE);
	}

}
