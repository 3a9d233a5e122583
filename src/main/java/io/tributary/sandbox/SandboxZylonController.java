package io.tributary.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

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
 * Simulated Zylon Workspace: the project-level interaction list, threads and each
 * thread's interactions, with Zylon's envelope and cursors ({@code after}/{@code first},
 * {@code page_order} ASC by default), and {@code page}/{@code page_size} too, and one
 * interaction by id ({@code GET /app/interaction/{id}}, 404 once deleted). A cursor names
 * an item's place in the order, so it stays valid after that item is deleted. Bearer auth
 * plus a required {@code x-org}. Payloads carry a
 * {@code pgpt.mcp_servers[].authorization_token}, which the gateway must never store.
 */
@Hidden
@RestController
@Profile("demo")
@RequestMapping("/sandbox/zylon/api/v1/app")
class SandboxZylonController {

	static final String KEY = "demo-zylon-key";

	static final String ORG = "acme";

	static final List<String> PROJECTS = List.of("proj-support", "proj-sales");

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final SandboxData data;

	SandboxZylonController(SandboxData data) {
		this.data = data;
	}

	@GetMapping("/project/{projectId}/interaction")
	ResponseEntity<JsonNode> projectInteractions(@RequestHeader HttpHeaders headers, @PathVariable String projectId,
			@RequestParam Map<String, String> query) {
		ResponseEntity<JsonNode> denied = check(headers, projectId);
		if (denied != null) {
			return denied;
		}
		Instant now = this.data.now();
		List<Item> items = interactions().stream().filter((item) -> project(item).equals(projectId)).toList();
		return page(items, query, (item) -> render(item, now), Item::createdAt, Item::id, this::gone);
	}

	@GetMapping("/interaction/{id}")
	ResponseEntity<JsonNode> interaction(@RequestHeader HttpHeaders headers, @PathVariable String id) {
		ResponseEntity<JsonNode> denied = check(headers, null);
		if (denied != null) {
			return denied;
		}
		Instant now = this.data.now();
		return this.data.find("zylon", id)
			.map((item) -> ResponseEntity.ok(render(item, now)))
			.orElseGet(() -> error(404, "Interaction not found"));
	}

	/**
	 * An item that is no longer listed because it was deleted; null for any other key.
	 */
	private Item gone(String id) {
		return this.data.findCreated("zylon", id).orElse(null);
	}

	@GetMapping("/project/{projectId}/thread")
	ResponseEntity<JsonNode> threads(@RequestHeader HttpHeaders headers, @PathVariable String projectId,
			@RequestParam Map<String, String> query) {
		ResponseEntity<JsonNode> denied = check(headers, projectId);
		if (denied != null) {
			return denied;
		}
		Map<String, Item> newestPerThread = new LinkedHashMap<>();
		interactions().stream()
			.filter((item) -> project(item).equals(projectId))
			.forEach((item) -> newestPerThread.putIfAbsent(item.thread(), item));
		List<Item> threads = new ArrayList<>(newestPerThread.values());
		return page(threads, query,
				(item) -> NODES.objectNode()
					.put("id", item.thread())
					.put("project_id", projectId)
					.put("name", "Conversation " + item.thread().substring(item.thread().lastIndexOf('-') + 1))
					.put("updated_at", item.createdAt().toString()),
				Item::createdAt, Item::thread, (key) -> null);
	}

	@GetMapping("/thread/{threadId}/interaction")
	ResponseEntity<JsonNode> threadInteractions(@RequestHeader HttpHeaders headers, @PathVariable String threadId,
			@RequestParam Map<String, String> query) {
		ResponseEntity<JsonNode> denied = check(headers, null);
		if (denied != null) {
			return denied;
		}
		Instant now = this.data.now();
		List<Item> items = interactions().stream().filter((item) -> item.thread().equals(threadId)).toList();
		return page(items, query, (item) -> render(item, now), Item::createdAt, Item::id, this::gone);
	}

	private List<Item> interactions() {
		return this.data.visible("zylon");
	}

	private static ResponseEntity<JsonNode> check(HttpHeaders headers, String projectId) {
		if (!("Bearer " + KEY).equals(headers.getFirst(HttpHeaders.AUTHORIZATION))) {
			return error(401, "Not authenticated");
		}
		String org = headers.getFirst("x-org");
		if (org == null || org.isBlank()) {
			return error(400, "Missing required header: x-org");
		}
		if (!ORG.equals(org)) {
			return error(403, "You are not a member of organization " + org);
		}
		if (projectId != null && !PROJECTS.contains(projectId)) {
			return error(404, "Project not found");
		}
		return null;
	}

	/**
	 * Orders {@code all} (newest first for DESC), then pages it by cursor ({@code after}
	 * + {@code first}) or by page number ({@code page} + {@code page_size}). A cursor
	 * naming an item that is gone from {@code all} reads on after its place in the order,
	 * when {@code gone} still knows it.
	 */
	private static ResponseEntity<JsonNode> page(List<Item> all, Map<String, String> query,
			Function<Item, JsonNode> render, Function<Item, Instant> time, Function<Item, String> key,
			Function<String, Item> gone) {
		String order = query.getOrDefault("page_order", "ASC");
		if (!order.equals("ASC") && !order.equals("DESC")) {
			return error(400, "page_order must be ASC or DESC");
		}
		Comparator<Item> ascending = Comparator.comparing(time).thenComparing(key);
		Comparator<Item> ordering = order.equals("DESC") ? ascending.reversed() : ascending;
		List<Item> ordered = new ArrayList<>(all);
		ordered.sort(ordering);
		int from;
		int size;
		try {
			size = Integer.parseInt(query.getOrDefault("first", query.getOrDefault("page_size", "20")));
			if (size < 1 || size > 100) {
				return error(400, "first/page_size must be between 1 and 100");
			}
			if (query.containsKey("after")) {
				String after = new String(Base64.getUrlDecoder().decode(query.get("after")), StandardCharsets.UTF_8);
				from = 0;
				while (from < ordered.size() && !key.apply(ordered.get(from)).equals(after)) {
					from++;
				}
				if (from < ordered.size()) {
					from++;
				}
				else {
					Item place = gone.apply(after);
					if (place == null) {
						return error(400, "Invalid cursor");
					}
					from = (int) ordered.stream().filter((item) -> ordering.compare(item, place) < 0).count();
				}
			}
			else {
				from = (Integer.parseInt(query.getOrDefault("page", "1")) - 1) * size;
			}
		}
		catch (IllegalArgumentException ex) {
			return error(400, "Invalid pagination parameters");
		}
		List<Item> slice = ordered.subList(Math.min(Math.max(from, 0), ordered.size()),
				Math.min(Math.max(from, 0) + size, ordered.size()));
		ObjectNode body = NODES.objectNode();
		ArrayNode data = body.putArray("data");
		slice.forEach((item) -> data.add(render.apply(item)));
		boolean hasNext = from + size < ordered.size();
		body.put("next_cursor", (hasNext && !slice.isEmpty()) ? cursor(key.apply(slice.get(slice.size() - 1))) : null);
		body.put("previous_cursor", (!slice.isEmpty() && from > 0) ? cursor(key.apply(slice.get(0))) : null);
		body.put("has_next_page", hasNext);
		body.put("has_previous_page", from > 0);
		if ("true".equals(query.get("total_count"))) {
			body.put("total_count", ordered.size());
		}
		return ResponseEntity.ok(body);
	}

	private static String cursor(String key) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
	}

	static String project(Item item) {
		return PROJECTS.get(item.product() % PROJECTS.size());
	}

	private static JsonNode render(Item item, Instant now) {
		boolean complete = item.completeBy(now);
		String state = !complete ? "Processing" : item.failed() ? "Error" : "Completed";
		String userId = new UUID(0x2170, item.user().hashCode()).toString();
		ObjectNode node = NODES.objectNode()
			.put("id", item.id())
			.put("project_id", project(item))
			.put("thread_id", item.thread())
			.put("state", state);
		ObjectNode input = node.putObject("user_input").put("role", "user");
		block(input.putArray("content"), "text", item.question(), item.createdAt());
		input.putObject("_meta");
		if (complete) {
			ObjectNode output = node.putObject("assistant_output")
				.put("id", "out-" + item.id())
				.put("created", item.completeAt().getEpochSecond())
				.put("model", item.model())
				.put("stop_reason", item.failed() ? "error" : (item.index() % 7 == 0) ? "max_tokens" : "end_turn");
			ArrayNode content = output.putArray("content");
			if (item.index() % 4 == 0) {
				block(content, "thinking", "The user asks: " + item.question(), item.createdAt());
			}
			if (!item.failed()) {
				block(content, "text", item.answer(), item.completeAt());
			}
			output.putObject("usage").put("input_tokens", item.inputTokens()).put("output_tokens", item.outputTokens());
			ArrayNode errors = output.putArray("errors");
			if (item.failed()) {
				errors.addObject().put("type", "model_error").put("message", "The model did not answer in time");
			}
		}
		else {
			node.putNull("assistant_output");
		}
		node.putArray("artifact_ids");
		node.put("all_artifacts", false);
		node.put("created_at", item.createdAt().toString());
		node.putObject("created_by")
			.put("id", userId)
			.put("org_id", "org-" + ORG)
			.put("account_id", "acct-" + item.user())
			.put("profile_picture", "https://zylon.example.com/avatars/" + item.user() + ".png")
			.put("name", item.user())
			.put("email", item.user() + "@acme.example")
			.put("job_position_name", "Support agent")
			.put("job_position_description", "Answers customer questions")
			.put("state", "Active")
			.put("created_at", "2026-01-15T09:00:00Z")
			.putArray("roles")
			.add("AppUser");
		ObjectNode pgpt = node.putObject("pgpt");
		ObjectNode message = pgpt.putArray("messages").addObject().put("role", "user");
		block(message.putArray("content"), "text", item.question(), item.createdAt());
		message.putObject("_meta");
		pgpt.put("stream", true);
		pgpt.putArray("tools");
		ObjectNode mcp = pgpt.putArray("mcp_servers")
			.addObject()
			.put("url", "https://mcp.acme.example/search")
			.put("name", "acme-search")
			.put("authorization_token", "mcp-secret-" + item.id())
			.put("type", "url");
		mcp.putObject("tool_configuration").put("enabled", true).putArray("allowed_tools").add("search");
		pgpt.putObject("response_format").put("type", "text");
		pgpt.putObject("system")
			.put("use_default_prompt", true)
			.put("text", "You are Acme's helpful assistant.")
			.putObject("citations")
			.put("enabled", false)
			.putArray("known_citations");
		pgpt.putObject("thinking").put("enabled", item.index() % 4 == 0);
		pgpt.put("temperature", 0.2).put("max_tokens", 1024).put("correlation_id", "corr-" + item.index());
		return node;
	}

	private static void block(ArrayNode content, String type, String text, Instant at) {
		content.addObject()
			.put("type", type)
			.put("data", text)
			.put("mime_type", "text/plain")
			.putNull("filename")
			.put("start_timestamp", at.toString())
			.put("stop_timestamp", at.toString())
			.putObject("_meta");
	}

	private static ResponseEntity<JsonNode> error(int status, String detail) {
		return ResponseEntity.status(status).body(NODES.objectNode().put("detail", detail));
	}

}
