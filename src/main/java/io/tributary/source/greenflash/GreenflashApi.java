package io.tributary.source.greenflash;

import java.net.URI;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;

/**
 * Greenflash's interaction endpoints, relative to {@code base-url}. Bodies are read as
 * JSON trees, so the stored raw object keeps every field the vendor sends, known or not.
 */
interface GreenflashApi {

	@GetExchange("/interactions")
	Mono<ResponseEntity<JsonNode>> list(@RequestParam(required = false) Integer page,
			@RequestParam(required = false) Integer offset, @RequestParam int limit,
			@RequestParam(required = false) String productId, @RequestParam(required = false) String versionId);

	/** Follows a {@code Link rel="next"} URL as given. */
	@GetExchange
	Mono<ResponseEntity<JsonNode>> follow(URI next);

	@GetExchange("/interactions/{id}")
	Mono<JsonNode> get(@PathVariable String id);

}
