package io.tributary.sync;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.web.ClientProblem;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.ProblemDetail;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/sync-runs}: the run history, newest first.
 */
@RestController
@Validated
@RequestMapping(path = "/api/v1/sync-runs", produces = "application/json")
@Tag(name = "Sync runs", description = "History of sync runs")
@ApiResponse(responseCode = "400", description = "A parameter is unknown or malformed",
		content = @Content(mediaType = "application/problem+json",
				schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "404", description = "Unknown connection or run",
		content = @Content(mediaType = "application/problem+json",
				schema = @Schema(implementation = ProblemDetail.class)))
class SyncRunController {

	private static final String CURSOR_PREFIX = "run-before:";

	private final SyncRunStore runs;

	private final SyncService sync;

	SyncRunController(SyncRunStore runs, SyncService sync) {
		this.runs = runs;
		this.sync = sync;
	}

	@GetMapping
	@Operation(summary = "List sync runs, newest first",
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
			this.sync.connection(connection);
		}
		int size = (limit != null) ? limit : 50;
		List<SyncRun> found = this.runs.list(connection, (cursor != null) ? decode(cursor) : null, size + 1);
		boolean hasNext = found.size() > size;
		List<SyncRun> items = hasNext ? found.subList(0, size) : found;
		String next = hasNext ? encode(items.get(items.size() - 1).id()) : null;
		return new RunPage(items, new RunPage.RunPageInfo(size, next, hasNext));
	}

	@GetMapping("/{id}")
	@Operation(summary = "One sync run",
			description = "Poll it after POST /api/v1/sources/{connection}/sync: outcome is running until the run ends.")
	@ApiResponse(responseCode = "200", description = "The run")
	SyncRun get(@Parameter(description = "Run id", example = "42") @PathVariable long id) {
		return this.runs.find(id).orElseThrow(() -> ClientProblem.notFound("id", "No sync run with id " + id));
	}

	private static String encode(long id) {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString((CURSOR_PREFIX + id).getBytes(StandardCharsets.UTF_8));
	}

	private static long decode(String cursor) {
		try {
			String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (text.startsWith(CURSOR_PREFIX)) {
				return Long.parseLong(text.substring(CURSOR_PREFIX.length()));
			}
		}
		catch (IllegalArgumentException ex) {
			// not ours: answered below
		}
		throw ClientProblem.invalidParameter("cursor",
				"Parameter 'cursor' is not a cursor issued by this API: pass page.nextCursor unchanged");
	}

	/**
	 * @param items the runs
	 * @param page paging state
	 */
	record RunPage(List<SyncRun> items, RunPageInfo page) {

		record RunPageInfo(int limit, String nextCursor, boolean hasNext) {
		}

	}

}
