package io.tributary.source.parrot;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;

/**
 * Parrot's one endpoint: {@code GET /channels/messages?channel=…&page=…}, newest first,
 * answering {@code {"messages": […], "next": true|false}}.
 */
interface ParrotApi {

	@GetExchange("/messages")
	Mono<JsonNode> messages(@RequestParam String channel, @RequestParam int page, @RequestParam int size);

}
