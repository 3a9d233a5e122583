package io.tributary.source.zylon;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;

/**
 * Zylon's list endpoints, relative to {@code base-url}; always cursor-paginated newest
 * first ({@code after} + {@code first} + {@code page_order=DESC}), never mixed with page
 * parameters.
 */
interface ZylonApi {

	/**
	 * A project's interactions; {@code total_count=true} (sent with a stream's first page
	 * only) adds the total to the envelope.
	 */
	@GetExchange("/app/project/{projectId}/interaction")
	Mono<JsonNode> projectInteractions(@PathVariable String projectId, @RequestParam(required = false) Integer first,
			@RequestParam(required = false) String after, @RequestParam(required = false) Integer page,
			@RequestParam(name = "page_size", required = false) Integer pageSize,
			@RequestParam("page_order") String pageOrder,
			@RequestParam(name = "total_count", required = false) Boolean totalCount);

	@GetExchange("/app/project/{projectId}/thread")
	Mono<JsonNode> projectThreads(@PathVariable String projectId, @RequestParam(required = false) Integer first,
			@RequestParam(required = false) String after, @RequestParam(required = false) Integer page,
			@RequestParam(name = "page_size", required = false) Integer pageSize,
			@RequestParam("page_order") String pageOrder);

	/** The feedback on an interaction: {@code GET /v1/app/feedback/{targetId}}. */
	@GetExchange("/app/feedback/{targetId}")
	Mono<JsonNode> feedback(@PathVariable String targetId);

	/** One interaction: {@code GET /v1/app/interaction/{id}}. */
	@GetExchange("/app/interaction/{id}")
	Mono<JsonNode> interaction(@PathVariable String id);

	@GetExchange("/app/thread/{threadId}/interaction")
	Mono<JsonNode> threadInteractions(@PathVariable String threadId, @RequestParam(required = false) Integer first,
			@RequestParam(required = false) String after, @RequestParam(required = false) Integer page,
			@RequestParam(name = "page_size", required = false) Integer pageSize,
			@RequestParam("page_order") String pageOrder);

}
