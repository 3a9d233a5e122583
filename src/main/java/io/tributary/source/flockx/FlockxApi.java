package io.tributary.source.flockx;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

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

}
