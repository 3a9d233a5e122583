package io.tributary.sandbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
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

/**
 * Simulated Flockx: {@code GET /interactions} with a required {@code end_time}
 * (FastAPI-style 422 without it), {@code page}/{@code size}, {@code sort_order}, and the
 * {@code items} + {@code meta} envelope. Each exchange is two message events — the user's
 * and the agent's, one span tree — and the agent's stays incomplete for a while (listed
 * only with {@code include_incomplete=true}). {@code GET /interactions/{id}} answers one
 * message event by the id the list gives it (404 for any other id, and once the exchange
 * is deleted). Accepts {@code Authorization: Token <key>} or the bare key.
 */
@Hidden
@RestController
@Profile("demo")
@RequestMapping("/sandbox/flockx/api/v1")
class SandboxFlockxController {

	static final String KEY = "demo-flockx-key";

	static final String AGENT = "5b0e9a52-7c3f-4d1a-8e2b-1f6c9d4a3e70";

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final SandboxData data;

	SandboxFlockxController(SandboxData data) {
		this.data = data;
	}

	@GetMapping("/interactions")
	ResponseEntity<JsonNode> list(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			@RequestParam(name = "end_time", required = false) String endTime,
			@RequestParam(required = false) String page, @RequestParam(required = false) String size,
			@RequestParam(name = "sort_order", required = false) String sortOrder,
			@RequestParam(name = "include_incomplete", required = false) String includeIncomplete,
			@RequestParam(name = "agent_id", required = false) String agentId,
			@RequestParam(name = "channel_id", required = false) String channelId) {
		if (!(("Token " + KEY).equals(auth) || KEY.equals(auth))) {
			return ResponseEntity.status(401).body(NODES.objectNode().put("detail", "Invalid token."));
		}
		if (endTime == null) {
			return invalid("end_time", "Field required", "missing", null);
		}
		Instant end;
		try {
			end = OffsetDateTime.parse(endTime).toInstant();
		}
		catch (DateTimeParseException ex) {
			return invalid("end_time", "Input should be a valid datetime", "datetime_from_date_parsing", endTime);
		}
		int pageNumber;
		int pageSize;
		try {
			pageNumber = (page != null) ? Integer.parseInt(page) : 1;
			pageSize = (size != null) ? Integer.parseInt(size) : 50;
		}
		catch (NumberFormatException ex) {
			return invalid((page != null) ? "page" : "size", "Input should be a valid integer", "int_parsing", page);
		}
		if (pageNumber < 1) {
			return invalid("page", "Input should be greater than or equal to 1", "greater_than_equal", page);
		}
		if (pageSize < 1 || pageSize > 100) {
			return invalid("size", "Input should be less than or equal to 100", "less_than_equal", size);
		}
		if (sortOrder != null && !sortOrder.equals("asc") && !sortOrder.equals("desc")) {
			return invalid("sort_order", "Input should be 'asc' or 'desc'", "enum", sortOrder);
		}
		boolean incomplete = "true".equalsIgnoreCase(includeIncomplete);
		Instant now = this.data.now();
		List<ObjectNode> events = new ArrayList<>();
		for (Item item : this.data.visible("flockx")) {
			if (agentId != null && !agentId.equals(AGENT)) {
				continue;
			}
			if (channelId != null && !channelId.equals(channel(item))) {
				continue;
			}
			if (!item.createdAt().isAfter(end)) {
				events.add(userEvent(item));
			}
			Instant answeredAt = item.answeredAt();
			boolean complete = item.completeBy(now);
			if (!answeredAt.isAfter(end) && (complete || incomplete)) {
				events.add(agentEvent(item, answeredAt, complete, now));
			}
		}
		Comparator<ObjectNode> byTime = Comparator.comparing((ObjectNode event) -> event.get("created_at").asString())
			.thenComparing((event) -> event.get("id").asString());
		events.sort("desc".equals(sortOrder) ? byTime.reversed() : byTime);
		int from = (pageNumber - 1) * pageSize;
		ObjectNode body = NODES.objectNode();
		ArrayNode items = body.putArray("items");
		events.subList(Math.min(from, events.size()), Math.min(from + pageSize, events.size())).forEach(items::add);
		body.putObject("meta")
			.put("total", events.size())
			.put("has_next", from + pageSize < events.size())
			.put("has_previous", pageNumber > 1)
			.put("page", pageNumber);
		return ResponseEntity.ok(body);
	}

	/**
	 * One message event by its id, as the list shows it; 404 for an id the list never
	 * gave, an event not posted yet, and the events of a deleted exchange.
	 */
	@GetMapping("/interactions/{id}")
	ResponseEntity<JsonNode> get(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			@PathVariable String id) {
		if (!(("Token " + KEY).equals(auth) || KEY.equals(auth))) {
			return ResponseEntity.status(401).body(NODES.objectNode().put("detail", "Invalid token."));
		}
		Instant now = this.data.now();
		ObjectNode event = null;
		try {
			UUID uuid = UUID.fromString(id);
			long part = uuid.getMostSignificantBits() - 0xf10c0000L;
			long index = uuid.getLeastSignificantBits();
			if ((part == 0 || part == 1) && index >= 0 && index <= Integer.MAX_VALUE) {
				Item item = this.data.find("flockx", this.data.item("flockx", (int) index).id()).orElse(null);
				if (item != null && part == 0) {
					event = userEvent(item);
				}
				else if (item != null && !item.answeredAt().isAfter(now)) {
					event = agentEvent(item, item.answeredAt(), item.completeBy(now), now);
				}
			}
		}
		catch (IllegalArgumentException ex) {
			// not an id the list gives
		}
		return (event != null) ? ResponseEntity.ok(event)
				: ResponseEntity.status(404).body(NODES.objectNode().put("detail", "Not found."));
	}

	private static ObjectNode userEvent(Item item) {
		ObjectNode event = event(item, 0, item.createdAt(), "user_message", true);
		event.putObject("participant")
			.put("type", "user")
			.put("user_id", new UUID(0xf10c, item.user().hashCode()).toString());
		event.putArray("content").addObject().put("type", "text").put("text", item.question());
		event.putNull("parent_span_id");
		event.putObject("metadata").put("client", "web");
		return event;
	}

	private static ObjectNode agentEvent(Item item, Instant at, boolean complete, Instant now) {
		ObjectNode event = event(item, 1, at, "agent_message", complete);
		event.putObject("participant").put("type", "agent").put("user_id", AGENT);
		String text = complete ? item.answer() : item.answer().substring(0, Math.min(12, item.answer().length())) + "…";
		event.putArray("content").addObject().put("type", "text").put("text", text);
		event.put("parent_span_id", span(item, 0));
		ObjectNode metadata = event.putObject("metadata").put("model", item.model()).put("agent_id", AGENT);
		if (complete) {
			metadata.put("input_tokens", item.inputTokens()).put("output_tokens", item.outputTokens());
		}
		if (complete && item.ratedBy(now)) {
			event.withArray("reactions")
				.addObject()
				.put("interaction_id", turn(item))
				.put("emoji", item.rating() >= (item.ratingMin() + item.ratingMax()) / 2.0 ? "👍" : "👎")
				.put("count", 1)
				.put("reacted_by_me", false);
		}
		return event;
	}

	private static ObjectNode event(Item item, int part, Instant at, String role, boolean complete) {
		ObjectNode event = NODES.objectNode()
			.put("id", SandboxData.eventId(item, part))
			.put("created_at", at.toString())
			.put("channel_id", channel(item))
			.put("content_role", role)
			.put("complete", complete);
		event.putArray("nested_interactions");
		event.put("interaction_id", turn(item))
			.put("span_id", span(item, part))
			.put("organization_id", "3f2b8c1d-0e4a-4b7f-9c6d-5a1e2f3b4c5d")
			.put("organization_application", (item.index() % 3 == 0) ? "asi_one" : "flockx");
		event.putArray("reactions");
		ArrayNode receipts = event.putArray("agent_read_receipts");
		if (part == 0) {
			receipts.addObject()
				.put("id", new UUID(0x4ead, item.index()).toString())
				.put("message_event_id", SandboxData.eventId(item, 0))
				.put("interaction_id", turn(item))
				.put("agent_id", AGENT)
				.put("read_at", at.plusSeconds(1).toString());
		}
		return event;
	}

	static String channel(Item item) {
		return new UUID(0xc4a7, item.thread().hashCode()).toString();
	}

	private static String turn(Item item) {
		return new UUID(0x7e2a, item.index()).toString();
	}

	private static String span(Item item, int part) {
		return "span-" + item.index() + "-" + part;
	}

	private static ResponseEntity<JsonNode> invalid(String field, String message, String type, String input) {
		ObjectNode body = NODES.objectNode();
		ObjectNode detail = body.putArray("detail").addObject();
		detail.putArray("loc").add("query").add(field);
		detail.put("msg", message).put("type", type).put("input", input);
		return ResponseEntity.status(422).body(body);
	}

}
