package io.tributary.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Hidden;
import io.tributary.sandbox.SandboxData.Item;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Simulated Greenflash: {@code GET /interactions} answers a bare array, pages with
 * {@code page} + {@code limit} (or {@code offset}) and sends {@code Link rel="next"};
 * {@code GET /interactions/{id}} adds participant and messages. Bearer auth; errors as
 * {@code {"success":false,"error":…}}.
 */
@Hidden
@RestController
@Profile("demo")
@RequestMapping("/sandbox/greenflash/api/v1")
class SandboxGreenflashController {

	static final String KEY = "demo-greenflash-key";

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final String ORGANIZATION = "7d1c2f40-3b8e-4c55-9a61-2f0e8b1c4d77";

	private final SandboxData data;

	SandboxGreenflashController(SandboxData data) {
		this.data = data;
	}

	@GetMapping("/interactions")
	ResponseEntity<JsonNode> list(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			@RequestParam(required = false) String limit, @RequestParam(required = false) String page,
			@RequestParam(required = false) String offset, @RequestParam(required = false) String productId,
			@RequestParam(required = false) String versionId) {
		if (!("Bearer " + KEY).equals(auth)) {
			return error(401, "Unauthorized: missing or invalid API key");
		}
		Integer size = number(limit, 50);
		Integer pageNumber = number(page, 1);
		Integer skip = number(offset, 0);
		if (size == null || size < 1 || size > 100) {
			return error(400, "Validation error: limit must be a number between 1 and 100");
		}
		if (pageNumber == null || pageNumber < 1 || skip == null || skip < 0) {
			return error(400, "Validation error: page must be >= 1 and offset >= 0");
		}
		Instant now = this.data.now();
		List<Item> items = this.data.visible("greenflash")
			.stream()
			.filter((item) -> productId == null || productId.equals(productId(item)))
			.filter((item) -> versionId == null || versionId.equals(versionId(item)))
			.toList();
		int from = (page == null && offset != null) ? skip : (pageNumber - 1) * size;
		List<Item> slice = items.subList(Math.min(from, items.size()), Math.min(from + size, items.size()));
		ArrayNode body = NODES.arrayNode();
		slice.forEach((item) -> body.add(listItem(item, now)));
		HttpHeaders headers = new HttpHeaders();
		if (from + size < items.size()) {
			String next = ServletUriComponentsBuilder.fromCurrentRequest()
				.replaceQueryParam("offset")
				.replaceQueryParam("page", (from / size) + 2)
				.replaceQueryParam("limit", size)
				.toUriString();
			headers.add(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
		}
		return ResponseEntity.ok().headers(headers).body(body);
	}

	@GetMapping("/interactions/{id}")
	ResponseEntity<JsonNode> get(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			@PathVariable String id) {
		if (!("Bearer " + KEY).equals(auth)) {
			return error(401, "Unauthorized: missing or invalid API key");
		}
		Instant now = this.data.now();
		Item item = this.data.find("greenflash", id).orElse(null);
		if (item == null) {
			return error(404, "Interaction not found");
		}
		ObjectNode detail = listItem(item, now);
		detail.set("participant",
				NODES.objectNode()
					.put("id", item.userId())
					.put("email", item.user() + "@example.com")
					.put("externalId", "user-" + item.user())
					.put("name", Character.toUpperCase(item.user().charAt(0)) + item.user().substring(1)));
		ArrayNode messages = detail.putArray("messages");
		messages.addObject()
			.put("role", "user")
			.put("content", item.question())
			.put("timestamp", item.createdAt().toString());
		if (item.index() % 5 == 0) {
			messages.addObject()
				.put("role", "tool_call")
				.put("content", "search_knowledge_base(\"" + item.question() + "\")")
				.put("timestamp", item.createdAt().plusMillis(400).toString());
			messages.addObject()
				.put("role", "observation")
				.put("content", "3 articles found")
				.put("timestamp", item.createdAt().plusMillis(900).toString());
		}
		messages.addObject()
			.put("role", "assistant")
			.put("content", item.answer())
			.put("timestamp", item.createdAt().plusSeconds(2).toString());
		return ResponseEntity.ok(detail);
	}

	private static ObjectNode listItem(Item item, Instant now) {
		boolean rated = item.ratedBy(now);
		ObjectNode node = NODES.objectNode()
			.put("id", item.id())
			.put("externalId", "conv-" + item.index())
			.put("participantId", item.userId())
			.put("externalParticipantId", "user-" + item.user())
			.put("organizationId", ORGANIZATION)
			.put("organizationExternalId", "acme")
			.put("productId", productId(item))
			.put("versionId", versionId(item))
			.put("model", item.model());
		if (rated) {
			node.put("rating", item.rating());
		}
		else {
			node.putNull("rating");
		}
		node.put("ratingMin", item.ratingMin())
			.put("ratingMax", item.ratingMax())
			.put("feedback", rated ? item.feedback() : null)
			.put("createdAt", item.createdAt().toString())
			.put("updatedAt", item.updatedAt(now).toString());
		node.putObject("properties").put("channel", (item.index() % 2 == 0) ? "web" : "mobile").put("locale", "en");
		return node;
	}

	static String productId(Item item) {
		return new UUID(0x9f00, item.product()).toString();
	}

	static String versionId(Item item) {
		return new UUID(0x9f01, item.product()).toString();
	}

	private static Integer number(String text, int fallback) {
		if (text == null) {
			return fallback;
		}
		try {
			return (int) Double.parseDouble(text);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static ResponseEntity<JsonNode> error(int status, String message) {
		return ResponseEntity.status(status).body(NODES.objectNode().put("success", false).put("error", message));
	}

}
