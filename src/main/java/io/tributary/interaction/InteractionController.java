package io.tributary.interaction;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.common.ApiValue;
import io.tributary.common.JsonBody;
import io.tributary.common.NotParameters;
import jakarta.validation.Valid;
import org.springdoc.core.annotations.ParameterObject;

import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/interactions}: every upstream's interactions in one filterable,
 * keyset-paginated list.
 */
@RestController
@RequestMapping(path = "/api/v1/interactions", produces = "application/json")
@Tag(name = "Interactions", description = "Interactions from every connected upstream, normalized")
class InteractionController {

	private final InteractionQuery query;

	private final InteractionStats stats;

	private final InteractionExport export;

	InteractionController(InteractionQuery query, InteractionStats stats, InteractionExport export) {
		this.export = export;
		this.query = query;
		this.stats = stats;
	}

	@GetMapping
	@Operation(operationId = "listInteractions", summary = "List interactions",
			description = "Filters combine with AND. Pages are keyset pages: pass page.nextCursor as cursor, with the same filters and sort, for the next one.")
	@ApiResponse(responseCode = "200", description = "One page of interactions",
			content = @Content(mediaType = "application/json",
					schema = @Schema(implementation = InteractionPage.class)),
			headers = @Header(name = "ETag",
					description = "Weak tag of the page: send it as If-None-Match for a 304 while nothing changed",
					schema = @Schema(type = "string", maxLength = 40)))
	@ApiResponse(responseCode = "304", description = "Not modified: the If-None-Match tag is still the page's")
	ResponseEntity<JsonBody> list(@ParameterObject @Valid @ModelAttribute InteractionFilter filter) {
		// an InteractionPage, written as Jackson writes it, straight from the rows
		InteractionQuery.Json page = this.query.pageJson(filter);
		return tagged(new JsonBody(page.body()), page.etag());
	}

	@GetMapping("/stats")
	@Operation(operationId = "interactionStats", summary = "Rollups of interactions",
			description = "The list's filters select the interactions; groupBy and interval group them; each group has count, tokens, ratings (normalized 0..1), feedback and error counts, output-token percentiles and cost (where tributary.pricing prices every model of the group). At most "
					+ InteractionStats.MAX_GROUPS + " groups, and " + InteractionStats.MAX_BUCKETS
					+ " buckets over createdFrom..createdTo: beyond, a 400 names groupBy or interval.")
	@ApiResponse(responseCode = "200", description = "The groups",
			headers = @Header(name = "ETag",
					description = "Weak tag of the rollups: send it as If-None-Match for a 304 while nothing changed",
					schema = @Schema(type = "string", maxLength = 40)))
	@ApiResponse(responseCode = "304", description = "Not modified: the If-None-Match tag is still the answer's")
	@NotParameters({ "sort", "limit", "cursor", "includeTotal" })
	ResponseEntity<InteractionStatsPage> stats(@ParameterObject @Valid @ModelAttribute InteractionFilter filter,
			@ParameterObject @Valid @ModelAttribute StatsOptions options) {
		InteractionStatsPage stats = this.stats.stats(filter, options);
		return tagged(stats, ETags.of(stats));
	}

	@GetMapping(path = "/export", produces = { "application/x-ndjson", "text/csv", "application/json" })
	@Operation(operationId = "exportInteractions", summary = "Export every matching interaction",
			description = "The list's filters and sort select the interactions; all of them are streamed as they are read from PostgreSQL (constant memory, no Content-Length), as NDJSON (one list item per line) or CSV (RFC 4180: a header row, CRLF line ends, fields with commas, quotes or line breaks quoted, quotes doubled), as an attachment. Exports have a bounded share of the gateway: a few per key and per replica at once (beyond, 429 or 503 with Retry-After); a client that takes nothing for tributary.export.idle-timeout (60 s) is cut off, its connection dropped before the end of the body.")
	@ApiResponse(responseCode = "200", description = "The interactions, streamed",
			content = {
					@Content(mediaType = "application/x-ndjson",
							schema = @Schema(implementation = InteractionSummary.class,
									description = "One interaction per line, as in the list")),
					@Content(mediaType = "text/csv", schema = @Schema(type = "string", maxLength = 1073741823)) })
	@ApiResponse(responseCode = "429",
			description = "The key runs as many exports at once as tributary.export.per-key allows (2 by default), "
					+ "or sent more requests than its rate limit allows")
	@ApiResponse(responseCode = "503",
			description = "The gateway runs as many exports at once as tributary.export.max-concurrent allows "
					+ "(4 by default), or the database could not answer in time")
	@NotParameters({ "limit", "cursor", "includeTotal" })
	ResponseEntity<StreamingResponseBody> export(@ParameterObject @Valid @ModelAttribute InteractionFilter filter,
			@Parameter(description = "ndjson (default) or csv",
					example = "csv") @RequestParam(required = false) InteractionExport.Format format,
			@Parameter(description = "CSV only: neutralize (default) starts every text field a spreadsheet would run "
					+ "as a formula (=, +, -, @, tab or CR first) with ', so it shows as text; raw writes it as it is",
					example = "raw") @RequestParam(required = false) InteractionExport.Formulas csvFormulas) {
		InteractionExport.Format chosen = (format != null) ? format : InteractionExport.Format.NDJSON;
		InteractionExport.Prepared prepared = this.export.prepare(filter);
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(chosen.mediaType() + ";charset=UTF-8"))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("interactions." + chosen.apiValue()).build().toString())
			.cacheControl(CacheControl.noStore())
			.body((out) -> this.export.write(prepared, chosen,
					(csvFormulas != null) ? csvFormulas : InteractionExport.Formulas.NEUTRALIZE, out));
	}

	/**
	 * The answer with its tag and {@code Cache-Control: no-cache, private} (the client's
	 * own cache keeps it and asks each time whether it still holds; no shared cache keeps
	 * it, as what a key sees depends on the key), {@code Vary} on the key headers; a
	 * matching {@code If-None-Match} turns it into a 304 without a body.
	 */
	private static <T> ResponseEntity<T> tagged(T body, String etag) {
		return ResponseEntity.ok()
			.eTag(etag)
			.cacheControl(CacheControl.noCache().cachePrivate())
			.varyBy("X-API-Key", "Authorization")
			.body(body);
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getInteraction", summary = "Get one interaction",
			description = "With its messages; include=raw adds the upstream object as received (secrets stripped).")
	@ApiResponse(responseCode = "200", description = "The interaction",
			headers = @Header(name = "ETag",
					description = "Strong tag from the interaction's content hash: send it as If-None-Match for a 304",
					schema = @Schema(type = "string", maxLength = 40)))
	@ApiResponse(responseCode = "304", description = "Not modified: the If-None-Match tag is still the interaction's")
	@ApiResponse(responseCode = "404", description = "No interaction has this id")
	ResponseEntity<InteractionDetail> get(
			@Parameter(description = "The gateway id of the interaction",
					example = "0b6f2d7e-8c1a-4f5e-9d3b-2a7c4e1f6a90") @PathVariable UUID id,
			@Parameter(description = "Extra parts to include: raw",
					array = @ArraySchema(schema = @Schema(allowableValues = "raw", example = "raw"))) @RequestParam(
							required = false) List<Include> include) {
		boolean raw = include != null && include.contains(Include.RAW);
		InteractionDetail detail = this.query.detail(id, raw);
		return tagged(detail, ETags.of(detail, raw));
	}

	/** Optional parts of the detail view. */
	enum Include implements ApiValue {

		RAW;

		@Override
		public String apiValue() {
			return "raw";
		}

	}

}
