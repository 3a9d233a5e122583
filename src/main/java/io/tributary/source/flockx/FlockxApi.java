package io.tributary.source.flockx;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;

/**
 * Flockx's interaction list, relative to {@code base-url}.
 */
interface FlockxApi {

	@GetExchange("/interactions")
	Mono<JsonNode> list(@RequestParam int page, @RequestParam int size, @RequestParam("sort_order") String sortOrder,
			@RequestParam("end_time") String endTime, @RequestParam("include_incomplete") boolean includeIncomplete,
			@RequestParam(name = "agent_id", required = false) String agentId,
			@RequestParam(name = "channel_id", required = false) String channelId);

	/**
	 * {@code GET /interactions/{interaction_id}}: the vendor leaves open which id it
	 * takes (a listed item's {@code id}, or its turn's {@code interaction_id}), so its
	 * 404s are trusted only once it answered 200 for a listed item by the same kind of id
	 * (see {@code FlockxConnector.exists}).
	 */
	@GetExchange("/interactions/{id}")
	Mono<JsonNode> get(@PathVariable String id);

}
