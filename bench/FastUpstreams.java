import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Fast, generated Greenflash, Zylon and Flockx APIs for the benchmark: the vendors' wire
 * contracts (as the in-gateway sandbox serves them: envelopes, paging, Link headers,
 * cursors, auth), but every item is a pure function of its kind and index, so any page
 * costs the same whatever its depth and the upstream is never the bottleneck. JDK only.
 * <p>
 * Usage: {@code java bench/FastUpstreams.java --port 18090 --per-kind 333334 [--odd]}. Each kind
 * yields {@code --per-kind} stored interactions: Greenflash and Zylon one per item, Flockx
 * one per message event (two per exchange). Items are one second apart (Flockx exchanges
 * four), newest first at index 0, all created before the process started.
 * <p>
 * {@code GET /__stats} counts the requests served per endpoint; {@code POST
 * /__stats/reset} (or {@code POST /__stats}) zeroes them.
 * <p>
 * Keys (fixed, as {@code bench/gateway-bench.yml} configures them): Greenflash {@code
 * Authorization: Bearer bench-greenflash-key}; Zylon {@code Bearer bench-zylon-key} plus
 * {@code x-org: acme} (400 without it, 403 for another org), project {@code proj-bench};
 * Flockx {@code Authorization: Token bench-flockx-key} (or the bare key). Anything else
 * is a 401 with the vendor's error body. Zylon serves the legacy project list
 * ({@code api-variant: project}; {@code auto} settles on it at once), newest first by
 * cursor only. Greenflash filters by {@code productId}/{@code versionId} (item i is
 * product i % 3) and pages by {@code page} or {@code offset}.
 * <p>
 * Measured on the 2-core bench machine (Nov 2026), {@code wrk -t2 -c16} on the same
 * cores, {@code --per-kind 333334}, deep pages: Greenflash detail 36 000-50 000
 * requests/s; list pages of 100 items: Greenflash 9 500-11 500/s, Zylon 3 900-4 600/s
 * (about 2 KB per item), Flockx 5 000-9 000/s (the low end cold, right after start). During the gateway's full sync of 333 334
 * Greenflash rows (3 334 list pages and 333 334 details in 61 s) this process used about
 * a quarter of one core; during the Zylon and Flockx full syncs (666 668 rows, 106 s) it
 * used 3.5 CPU-seconds against the gateway's 43: the gateway is the bottleneck.
 */
public class FastUpstreams {

	static final String GREENFLASH_KEY = "bench-greenflash-key";

	static final String ZYLON_KEY = "bench-zylon-key";

	static final String FLOCKX_KEY = "bench-flockx-key";

	static final String ZYLON_ORG = "acme";

	/** The one Flockx agent every exchange talks to. */
	static final String FLOCKX_AGENT = "5b0e9a52-7c3f-4d1a-8e2b-1f6c9d4a3e70";

	static final String ZYLON_PROJECT = "proj-bench";

	static final String[][] EXCHANGES = {
			{ "How do I rotate my API key without downtime?",
					"Create a second key, deploy it everywhere, then revoke the old one from Settings, API keys." },
			{ "Can I get a refund for last month's invoice?",
					"Refunds are possible within 30 days: open Billing, Invoices, pick the invoice and choose Request refund." },
			{ "Summarize the attached contract in three bullet points.",
					"1. Twelve-month term, auto-renewing. 2. 30-day termination notice. 3. Liability capped at fees paid." },
			{ "Why is my dashboard showing no data since yesterday?",
					"The ingestion token expired yesterday at 14:00 UTC; generate a new one under Integrations." },
			{ "What's the difference between the Pro and Team plans?",
					"Team adds SSO, shared workspaces and audit logs; Pro is for a single user." },
			{ "How do I export my chat history?", "Go to Settings, Privacy, Export data; you'll get a ZIP by email." },
			{ "Is there a rate limit on the search endpoint?",
					"Yes: 100 requests per minute per key; responses carry Retry-After when you exceed it." },
			{ "Explain what a vector database is in one paragraph.",
					"A vector database stores embeddings and finds the nearest ones to a query vector, which powers semantic search." },
			{ "What are your support hours?", "Support answers 24/7 by chat and Monday to Friday 8-18 CET by phone." },
			{ "Recommend a laptop for video editing under 2000 euros.",
					"Look for 32 GB RAM, a dedicated GPU with 8 GB and a colour-accurate screen; several 16-inch models fit." } };

	/** One row in a hundred mentions a password, so a text search for it has hits. */
	static final String[] RARE = { "My password reset email never arrives.",
			"Password reset emails come from no-reply@example.com: check the spam folder, allow that sender, then resend after five minutes." };

	/** Said before a question or after an answer, so texts vary beyond the table above. */
	static final String[] OPENERS = { "", "", "Hi! ", "Quick question: ", "Hello, I'm new here. ",
			"Sorry if this was asked before. " };

	static final String[] CLOSERS = { "", "", " Let me know if that helps.", " Anything else I can do for you?",
			" The help center has step-by-step screenshots.", " If it still fails, reply here and I'll open a ticket." };

	static final int[][] SCALES = { { 1, 5 }, { 0, 10 }, { 0, 1 } };

	static final String[] PRAISE = { "Helpful, thanks!", "Exactly what I needed.", "Clear and quick answer." };

	static final String[] COMPLAINTS = { "Did not answer my question.", "Too vague to act on.",
			"Wrong: that menu does not exist." };

	static final String[] MODELS = { "gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "llama-3.1-70b" };

	static final String[] USERS = { "ana", "bruno", "chen", "dara", "emeka", "farah", "goran", "hana", "ivan", "jin" };

	static final String ORGANIZATION = "7d1c2f40-3b8e-4c55-9a61-2f0e8b1c4d77";

	static final Map<String, LongAdder> STATS = new ConcurrentHashMap<>();

	static int perKind;

	/**
	 * With {@code --odd}, item {@link #ODD} of each kind is odd but valid (issue 20's
	 * trial): Greenflash's detail has a user message of 300 KB of {@code a.} repeated,
	 * Flockx's agent answer of that exchange is 5 MB of words, Zylon's
	 * {@code user_input._meta} is nested 800 objects deep.
	 */
	static boolean odd;

	static final int ODD = 2;

	static final String ODD_MESSAGE = "a.".repeat(150_000);

	static final String ODD_ANSWER = "word ".repeat(1_000_000);

	static final String ODD_META = "{\"n\":".repeat(799) + "{}" + "}".repeat(799);

	/** Index 0's creation time; older items are further back. */
	static Instant newest;

	public static void main(String[] args) throws IOException {
		int port = 18090;
		perKind = 333_334;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--port" -> port = Integer.parseInt(args[++i]);
				case "--per-kind" -> perKind = Integer.parseInt(args[++i].replace("_", ""));
				case "--odd" -> odd = true;
				default -> throw new IllegalArgumentException("use --port N --per-kind N [--odd]");
			}
		}
		newest = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);
		// headers and body are separate writes: without TCP_NODELAY, Nagle's algorithm and
		// the client's delayed ACK stall every answer by about 40 ms
		System.setProperty("sun.net.httpserver.nodelay", "true");
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
		server.setExecutor(Executors.newFixedThreadPool(8));
		server.createContext("/", FastUpstreams::handle);
		server.start();
		System.out.printf("fast upstreams on http://127.0.0.1:%d, %d stored interactions per kind, newest at %s%n", port,
				perKind, newest);
	}

	static void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
			String auth = exchange.getRequestHeaders().getFirst("Authorization");
			if (path.equals("/__stats")) {
				if (exchange.getRequestMethod().equals("POST")) {
					STATS.clear();
					send(exchange, 200, "{}", null);
					return;
				}
				StringBuilder body = new StringBuilder("{");
				new TreeMap<>(STATS).forEach((name, count) -> body.append(body.length() > 1 ? "," : "")
					.append('"')
					.append(name)
					.append("\":")
					.append(count.sum()));
				send(exchange, 200, body.append('}').toString(), null);
				return;
			}
			if (path.equals("/__stats/reset")) {
				STATS.clear();
				send(exchange, 200, "{}", null);
				return;
			}
			if (path.startsWith("/greenflash/api/v1/interactions")) {
				if (!("Bearer " + GREENFLASH_KEY).equals(auth)) {
					send(exchange, 401, "{\"success\":false,\"error\":\"Unauthorized: missing or invalid API key\"}",
							null);
					return;
				}
				String rest = path.substring("/greenflash/api/v1/interactions".length());
				if (rest.isEmpty()) {
					count("greenflash list");
					greenflashList(exchange, query);
				}
				else {
					count("greenflash detail");
					int index = index("greenflash", rest.substring(1));
					if (index < 0) {
						send(exchange, 404, "{\"success\":false,\"error\":\"Interaction not found\"}", null);
						return;
					}
					send(exchange, 200, greenflash(index, true), null);
				}
				return;
			}
			if (path.startsWith("/zylon/api/v1/app/")) {
				if (!("Bearer " + ZYLON_KEY).equals(auth)) {
					send(exchange, 401, "{\"detail\":\"Not authenticated\"}", null);
					return;
				}
				String org = exchange.getRequestHeaders().getFirst("x-org");
				if (org == null || org.isBlank()) {
					send(exchange, 400, "{\"detail\":\"Missing required header: x-org\"}", null);
					return;
				}
				if (!ZYLON_ORG.equals(org)) {
					send(exchange, 403, "{\"detail\":\"You are not a member of organization " + org.replaceAll("[^A-Za-z0-9_-]", "") + "\"}", null);
					return;
				}
				String rest = path.substring("/zylon/api/v1/app".length());
				if (rest.equals("/project/" + ZYLON_PROJECT + "/interaction")) {
					count("zylon list");
					zylonList(exchange, query);
				}
				else if (rest.startsWith("/interaction/")) {
					count("zylon detail");
					int index = index("zylon", rest.substring("/interaction/".length()));
					if (index < 0) {
						send(exchange, 404, "{\"detail\":\"Interaction not found\"}", null);
						return;
					}
					send(exchange, 200, zylon(index), null);
				}
				else {
					count("zylon other: " + rest.replaceAll("[0-9a-f-]{36}", "{id}"));
					send(exchange, 404, "{\"detail\":\"Not Found\"}", null);
				}
				return;
			}
			if (path.startsWith("/flockx/api/v1/interactions")) {
				if (!(("Token " + FLOCKX_KEY).equals(auth) || FLOCKX_KEY.equals(auth))) {
					send(exchange, 401, "{\"detail\":\"Invalid token.\"}", null);
					return;
				}
				String rest = path.substring("/flockx/api/v1/interactions".length());
				if (rest.isEmpty()) {
					count("flockx list");
					flockxList(exchange, query);
				}
				else {
					count("flockx detail");
					int event = flockxEvent(rest.substring(1));
					if (event < 0) {
						send(exchange, 404, "{\"detail\":\"Not found.\"}", null);
						return;
					}
					send(exchange, 200, flockx(event), null);
				}
				return;
			}
			count("unknown " + path);
			send(exchange, 404, "{\"detail\":\"Not Found\"}", null);
		}
		catch (RuntimeException ex) {
			ex.printStackTrace();
			send(exchange, 500, "{\"detail\":\"" + ex + "\"}", null);
		}
	}

	// ---- Greenflash: bare array, page + limit, Link rel="next"; detail adds participant and messages

	static void greenflashList(HttpExchange exchange, Map<String, String> query) throws IOException {
		int limit;
		int page;
		int offset;
		try {
			limit = Integer.parseInt(query.getOrDefault("limit", "50"));
			page = Integer.parseInt(query.getOrDefault("page", "1"));
			offset = Integer.parseInt(query.getOrDefault("offset", "0"));
		}
		catch (NumberFormatException ex) {
			send(exchange, 400, "{\"success\":false,\"error\":\"Validation error: limit, page and offset are numbers\"}",
					null);
			return;
		}
		if (limit < 1 || limit > 100 || page < 1 || offset < 0) {
			send(exchange, 400,
					"{\"success\":false,\"error\":\"Validation error: limit 1..100, page >= 1, offset >= 0\"}", null);
			return;
		}
		// productId / versionId select one product (item i belongs to product i % 3, its
		// version is the product's): the matching items are p, p + 3, p + 6, ...
		int product = -1;
		int stride = 1;
		long total = perKind;
		String productId = query.get("productId");
		String versionId = query.get("versionId");
		if (productId != null || versionId != null) {
			int byProduct = (productId != null) ? product(productId, 0x9f00) : -2;
			int byVersion = (versionId != null) ? product(versionId, 0x9f01) : -2;
			product = (byProduct == -2) ? byVersion : (byVersion == -2 || byVersion == byProduct) ? byProduct : -1;
			stride = 3;
			total = (product < 0 || product >= perKind) ? 0 : (perKind - product + 2) / 3;
		}
		// page wins over offset, as the sandbox decides
		long from = (query.containsKey("page") || !query.containsKey("offset")) ? (long) (page - 1) * limit : offset;
		StringBuilder body = new StringBuilder(limit * 700).append('[');
		for (long n = from; n < Math.min(from + limit, total); n++) {
			long i = (stride == 1) ? n : product + 3 * n;
			body.append(n > from ? "," : "").append(greenflash((int) i, false));
		}
		body.append(']');
		String link = null;
		if (from + limit < total) {
			StringBuilder next = new StringBuilder("<http://").append(exchange.getRequestHeaders().getFirst("Host"))
				.append("/greenflash/api/v1/interactions?page=")
				.append(from / limit + 2)
				.append("&limit=")
				.append(limit);
			if (productId != null) {
				next.append("&productId=").append(URLEncoder.encode(productId, StandardCharsets.UTF_8));
			}
			if (versionId != null) {
				next.append("&versionId=").append(URLEncoder.encode(versionId, StandardCharsets.UTF_8));
			}
			link = next.append(">; rel=\"next\"").toString();
		}
		send(exchange, 200, body.toString(), link);
	}

	/** The product a product or version id names: 0..2, or -1 for none. */
	static int product(String id, long high) {
		try {
			UUID uuid = UUID.fromString(id);
			long low = uuid.getLeastSignificantBits();
			return (uuid.getMostSignificantBits() == high && low >= 0 && low < 3) ? (int) low : -1;
		}
		catch (IllegalArgumentException ex) {
			return -1;
		}
	}

	static String greenflash(int i, boolean detail) {
		Item item = new Item("greenflash", i);
		StringBuilder json = new StringBuilder(1024).append('{');
		field(json, "id", item.id).append(',');
		field(json, "externalId", "conv-" + i).append(',');
		field(json, "participantId", item.userId()).append(',');
		field(json, "externalParticipantId", "user-" + item.user).append(',');
		field(json, "organizationId", ORGANIZATION).append(',');
		field(json, "organizationExternalId", "acme").append(',');
		field(json, "productId", new UUID(0x9f00, item.product).toString()).append(',');
		field(json, "versionId", new UUID(0x9f01, item.product).toString()).append(',');
		field(json, "model", item.model).append(',');
		json.append("\"rating\":").append(item.rated ? String.valueOf(item.rating) : "null");
		json.append(",\"ratingMin\":").append(item.ratingMin).append(",\"ratingMax\":").append(item.ratingMax).append(',');
		json.append("\"feedback\":").append(item.feedback != null ? quote(item.feedback) : "null").append(',');
		field(json, "createdAt", item.createdAt.toString()).append(',');
		field(json, "updatedAt", item.updatedAt().toString()).append(',');
		json.append("\"properties\":{\"channel\":\"").append(i % 2 == 0 ? "web" : "mobile").append("\",\"locale\":\"en\"}");
		if (detail) {
			json.append(",\"participant\":{");
			field(json, "id", item.userId()).append(',');
			field(json, "email", item.user + "@example.com").append(',');
			field(json, "externalId", "user-" + item.user).append(',');
			field(json, "name", item.user).append("},\"messages\":[");
			message(json, "user", (odd && i == ODD) ? ODD_MESSAGE : item.question, item.createdAt).append(',');
			if (i % 5 == 0) {
				message(json, "tool_call", "search_knowledge_base()", item.createdAt.plusMillis(400)).append(',');
				message(json, "observation", "3 articles found", item.createdAt.plusMillis(900)).append(',');
			}
			message(json, "assistant", item.answer, item.createdAt.plusSeconds(2)).append(']');
		}
		return json.append('}').toString();
	}

	static StringBuilder message(StringBuilder json, String role, String content, Instant at) {
		json.append('{');
		field(json, "role", role).append(',');
		field(json, "content", content).append(',');
		return field(json, "timestamp", at.toString()).append('}');
	}

	// ---- Zylon: data + cursors (after + first, page_order=DESC), newest first

	static void zylonList(HttpExchange exchange, Map<String, String> query) throws IOException {
		if (!"DESC".equals(query.get("page_order")) || query.containsKey("page")) {
			send(exchange, 400, "{\"detail\":\"this bench upstream pages newest first by cursor only\"}", null);
			return;
		}
		int first = Integer.parseInt(query.getOrDefault("first", query.getOrDefault("page_size", "20")));
		if (first < 1 || first > 100) {
			send(exchange, 400, "{\"detail\":\"first/page_size must be between 1 and 100\"}", null);
			return;
		}
		int from = 0;
		if (query.containsKey("after")) {
			from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(query.get("after")), StandardCharsets.UTF_8))
					+ 1;
		}
		int to = Math.min(from + first, perKind);
		StringBuilder body = new StringBuilder(first * 2200).append("{\"data\":[");
		for (int i = from; i < to; i++) {
			body.append(i > from ? "," : "").append(zylon(i));
		}
		boolean hasNext = to < perKind;
		body.append("],\"next_cursor\":").append(hasNext && to > from ? quote(cursor(to - 1)) : "null");
		body.append(",\"previous_cursor\":").append(from > 0 && to > from ? quote(cursor(from)) : "null");
		body.append(",\"has_next_page\":").append(hasNext).append(",\"has_previous_page\":").append(from > 0);
		if ("true".equals(query.get("total_count"))) {
			body.append(",\"total_count\":").append(perKind);
		}
		send(exchange, 200, body.append('}').toString(), null);
	}

	static String cursor(int index) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(index).getBytes(StandardCharsets.UTF_8));
	}

	static String zylon(int i) {
		Item item = new Item("zylon", i);
		boolean failed = i % 17 == 0;
		StringBuilder json = new StringBuilder(2200).append('{');
		field(json, "id", item.id).append(',');
		field(json, "project_id", ZYLON_PROJECT).append(',');
		field(json, "thread_id", item.thread).append(',');
		field(json, "state", failed ? "Error" : "Completed").append(',');
		json.append("\"user_input\":{\"role\":\"user\",\"content\":[");
		block(json, "text", item.question, item.createdAt).append("],\"_meta\":")
			.append((odd && i == ODD) ? ODD_META : "{}")
			.append("},");
		json.append("\"assistant_output\":{");
		field(json, "id", "out-" + item.id).append(',');
		json.append("\"created\":").append(item.createdAt.getEpochSecond() + 5).append(',');
		field(json, "model", item.model).append(',');
		field(json, "stop_reason", failed ? "error" : (i % 7 == 0) ? "max_tokens" : "end_turn").append(",\"content\":[");
		if (i % 4 == 0) {
			block(json, "thinking", "The user asks: " + item.question, item.createdAt).append(failed ? "" : ",");
		}
		if (!failed) {
			block(json, "text", item.answer, item.createdAt.plusSeconds(5));
		}
		json.append("],\"usage\":{\"input_tokens\":").append(item.inputTokens).append(",\"output_tokens\":")
			.append(item.outputTokens).append("},\"errors\":[");
		if (failed) {
			json.append("{\"type\":\"model_error\",\"message\":\"The model did not answer in time\"}");
		}
		json.append("]},\"artifact_ids\":[],\"all_artifacts\":false,");
		field(json, "created_at", item.createdAt.toString()).append(",\"created_by\":{");
		field(json, "id", new UUID(0x2170, item.user.hashCode()).toString()).append(',');
		field(json, "org_id", "org-" + ZYLON_ORG).append(',');
		field(json, "account_id", "acct-" + item.user).append(',');
		field(json, "profile_picture", "https://zylon.example.com/avatars/" + item.user + ".png").append(',');
		field(json, "name", item.user).append(',');
		field(json, "email", item.user + "@acme.example").append(',');
		json.append("\"job_position_name\":\"Support agent\",\"state\":\"Active\",\"created_at\":\"2026-01-15T09:00:00Z\",");
		json.append("\"roles\":[\"AppUser\"]},\"pgpt\":{\"messages\":[{\"role\":\"user\",\"content\":[");
		block(json, "text", item.question, item.createdAt).append("],\"_meta\":{}}],\"stream\":true,\"tools\":[],");
		json.append("\"mcp_servers\":[{\"url\":\"https://mcp.acme.example/search\",\"name\":\"acme-search\",");
		field(json, "authorization_token", "mcp-secret-" + item.id);
		json.append(",\"type\":\"url\",\"tool_configuration\":{\"enabled\":true,\"allowed_tools\":[\"search\"]}}],");
		json.append("\"response_format\":{\"type\":\"text\"},\"system\":{\"use_default_prompt\":true,");
		json.append("\"text\":\"You are Acme's helpful assistant.\",\"citations\":{\"enabled\":false,\"known_citations\":[]}},");
		json.append("\"thinking\":{\"enabled\":").append(i % 4 == 0).append("},\"temperature\":0.2,\"max_tokens\":1024,");
		field(json, "correlation_id", "corr-" + i).append("}}");
		return json.toString();
	}

	static StringBuilder block(StringBuilder json, String type, String text, Instant at) {
		json.append('{');
		field(json, "type", type).append(',');
		field(json, "data", text).append(",\"mime_type\":\"text/plain\",\"filename\":null,");
		field(json, "start_timestamp", at.toString()).append(',');
		return field(json, "stop_timestamp", at.toString()).append(",\"_meta\":{}}");
	}

	// ---- Flockx: items + meta, page + size, sort_order, end_time; two message events per exchange

	static void flockxList(HttpExchange exchange, Map<String, String> query) throws IOException {
		if (query.get("end_time") == null) {
			send(exchange, 422, "{\"detail\":[{\"loc\":[\"query\",\"end_time\"],\"msg\":\"Field required\",\"type\":\"missing\"}]}",
					null);
			return;
		}
		Instant end;
		int page;
		int size;
		try {
			end = endTime(query.get("end_time"));
			page = Integer.parseInt(query.getOrDefault("page", "1"));
			size = Integer.parseInt(query.getOrDefault("size", "50"));
		}
		catch (RuntimeException ex) {
			send(exchange, 422, "{\"detail\":[{\"loc\":[\"query\"],\"msg\":\"Input should be a valid datetime or integer\",\"type\":\"parsing\"}]}",
					null);
			return;
		}
		if (page < 1 || size < 1 || size > 100) {
			send(exchange, 422, "{\"detail\":[{\"loc\":[\"query\",\"size\"],\"msg\":\"out of range\",\"type\":\"less_than_equal\"}]}",
					null);
			return;
		}
		if (query.containsKey("channel_id") || query.containsKey("source") || query.containsKey("type")) {
			send(exchange, 422, "{\"detail\":[{\"loc\":[\"query\"],\"msg\":\"this bench upstream filters by agent_id only\",\"type\":\"unsupported\"}]}",
					null);
			return;
		}
		// every exchange is with one agent: agent_id selects all or nothing
		boolean none = query.containsKey("agent_id") && !FLOCKX_AGENT.equals(query.get("agent_id"));
				boolean descending = "desc".equals(query.get("sort_order"));
		// events newest first: position p is exchange p / 2, the agent's event (created two
		// seconds after the user's) first, so event p is at newest + 2 s - 2p s; skip those
		// after end_time (arithmetic, not a scan)
		long after = Duration.between(end, newest.plusSeconds(2)).toMillis();
		int skip = (after <= 0) ? 0 : (int) Math.min(perKind, (after + 1999) / 2000);
		int total = none ? 0 : perKind - skip;
		long from = (long) (page - 1) * size;
		StringBuilder body = new StringBuilder(size * 900).append("{\"items\":[");
		for (long n = from; n < Math.min(from + size, total); n++) {
			int position = descending ? (int) (skip + n) : (int) (perKind - 1 - n);
			body.append(n > from ? "," : "").append(flockx(position));
		}
		body.append("],\"meta\":{\"total\":").append(total).append(",\"has_next\":").append(from + size < total);
		body.append(",\"has_previous\":").append(page > 1).append(",\"page\":").append(page).append("}}");
		send(exchange, 200, body.toString(), null);
	}

	/** ISO-8601 with Z or an offset ({@code +} may arrive decoded as a space). */
	static Instant endTime(String text) {
		String iso = text.trim().replace(' ', '+');
		try {
			return Instant.parse(iso);
		}
		catch (DateTimeParseException ex) {
			return OffsetDateTime.parse(iso).toInstant();
		}
	}

	static Instant eventTime(int position) {
		Instant created = newest.minusSeconds(4L * (position / 2));
		return (position % 2 == 0) ? created.plusSeconds(2) : created;
	}

	static String flockxEventId(int position) {
		return new UUID(0xf10c0000L + (position % 2 == 0 ? 1 : 0), position / 2).toString();
	}

	static int flockxEvent(String id) {
		try {
			UUID uuid = UUID.fromString(id);
			long part = uuid.getMostSignificantBits() - 0xf10c0000L;
			long exchange = uuid.getLeastSignificantBits();
			long position = exchange * 2 + (part == 1 ? 0 : 1);
			return (part == 0 || part == 1) && exchange >= 0 && position < perKind ? (int) position : -1;
		}
		catch (IllegalArgumentException ex) {
			return -1;
		}
	}

	static String flockx(int position) {
		int x = position / 2;
		boolean agent = position % 2 == 0;
		Item item = new Item("flockx", x);
		Instant at = eventTime(position);
		String turn = new UUID(0x7e2a, x).toString();
		String agentId = FLOCKX_AGENT;
		StringBuilder json = new StringBuilder(900).append('{');
		field(json, "id", flockxEventId(position)).append(',');
		field(json, "created_at", at.toString()).append(',');
		field(json, "channel_id", new UUID(0xc4a7, item.thread.hashCode()).toString()).append(',');
		field(json, "content_role", agent ? "agent_message" : "user_message").append(",\"complete\":true,");
		json.append("\"nested_interactions\":[],");
		field(json, "interaction_id", turn).append(',');
		field(json, "span_id", "span-" + x + "-" + (agent ? 1 : 0)).append(',');
		field(json, "organization_id", "3f2b8c1d-0e4a-4b7f-9c6d-5a1e2f3b4c5d").append(',');
		field(json, "organization_application", (x % 3 == 0) ? "asi_one" : "flockx").append(",\"reactions\":[");
		if (agent && item.rated) {
			json.append("{\"interaction_id\":\"").append(turn).append("\",\"emoji\":\"")
				.append(item.good() ? "\\ud83d\\udc4d" : "\\ud83d\\udc4e")
				.append("\",\"count\":1,\"reacted_by_me\":false}");
		}
		json.append("],\"agent_read_receipts\":[");
		if (!agent) {
			json.append("{\"id\":\"").append(new UUID(0x4ead, x)).append("\",\"message_event_id\":\"")
				.append(flockxEventId(position)).append("\",\"interaction_id\":\"").append(turn)
				.append("\",\"agent_id\":\"").append(agentId).append("\",\"read_at\":\"").append(at.plusSeconds(1))
				.append("\"}");
		}
		json.append("],\"participant\":{\"type\":\"").append(agent ? "agent" : "user").append("\",\"user_id\":\"")
			.append(agent ? agentId : new UUID(0xf10c, item.user.hashCode()).toString()).append("\"},");
		json.append("\"content\":[{\"type\":\"text\",");
		field(json, "text", agent ? ((odd && x == ODD) ? ODD_ANSWER : item.answer) : item.question).append("}],");
		if (agent) {
			json.append("\"parent_span_id\":\"span-").append(x).append("-0\",\"metadata\":{");
			field(json, "model", item.model).append(',');
			field(json, "agent_id", agentId).append(",\"input_tokens\":").append(item.inputTokens)
				.append(",\"output_tokens\":").append(item.outputTokens).append('}');
		}
		else {
			json.append("\"parent_span_id\":null,\"metadata\":{\"client\":\"web\"}");
		}
		return json.append('}').toString();
	}

	// ---- the items

	/** Interaction {@code index} of {@code kind}: everything derives from the two. */
	static final class Item {

		final String id;

		final Instant createdAt;

		final String user;

		final String thread;

		final int product;

		final String model;

		final String question;

		final String answer;

		final int inputTokens;

		final int outputTokens;

		final boolean rated;

		final int rating;

		final int ratingMin;

		final int ratingMax;

		final String feedback;

		final int index;

		Item(String kind, int index) {
			this.index = index;
			long mix = (kind.hashCode() * 1_000_003L + index) * 0x9E3779B97F4A7C15L;
			mix ^= (mix >>> 29);
			int bits = (int) (mix ^ (mix >>> 32)) & Integer.MAX_VALUE;
			this.id = new UUID(kind.hashCode(), index).toString();
			this.createdAt = newest.minusSeconds(index);
			this.user = USERS[bits % USERS.length];
			this.thread = "thread-" + kind + "-" + (index / 4);
			this.product = index % 3;
			this.model = MODELS[(bits >>> 6) % MODELS.length];
			String[] exchange = (index % 100 == 37) ? RARE : EXCHANGES[(bits >>> 9) % EXCHANGES.length];
			this.question = OPENERS[(bits >>> 27) % OPENERS.length] + exchange[0] + " (ticket " + index + ")";
			this.answer = exchange[1] + CLOSERS[(bits >>> 2) % CLOSERS.length];
			this.inputTokens = 20 + (bits >>> 13) % 400;
			this.outputTokens = 40 + (bits >>> 15) % 900;
			this.rated = (bits >>> 18) % 10 < 6;
			// each product rates on its own scale, as Greenflash allows: 1..5, 0..10, 0..1
			this.ratingMin = SCALES[this.product][0];
			this.ratingMax = SCALES[this.product][1];
			this.rating = this.ratingMin + (bits >>> 20) % (this.ratingMax - this.ratingMin + 1);
			String[] feedbacks = good() ? PRAISE : COMPLAINTS;
			this.feedback = (this.rated && (bits >>> 23) % 3 == 0)
					? feedbacks[(bits >>> 25) % feedbacks.length] + " (" + index + ")" : null;
		}

		/** A rating in the upper half of its scale. */
		boolean good() {
			return 2 * (this.rating - this.ratingMin) >= this.ratingMax - this.ratingMin;
		}

		Instant updatedAt() {
			// rated later, never after the newest creation time: no upstream time lies in the future
			return this.rated ? this.createdAt.plusSeconds(Math.min(600, this.index)) : this.createdAt;
		}

		String userId() {
			return new UUID(0x5eed, this.user.hashCode()).toString();
		}

	}

	// ---- HTTP and JSON

	static int index(String kind, String id) {
		try {
			UUID uuid = UUID.fromString(id);
			long index = uuid.getLeastSignificantBits();
			return (uuid.getMostSignificantBits() == kind.hashCode() && index >= 0 && index < perKind) ? (int) index : -1;
		}
		catch (IllegalArgumentException ex) {
			return -1;
		}
	}

	static void count(String what) {
		STATS.computeIfAbsent(what, (key) -> new LongAdder()).increment();
	}

	static Map<String, String> query(String raw) {
		Map<String, String> query = new HashMap<>();
		if (raw != null) {
			for (String pair : raw.split("&")) {
				int eq = pair.indexOf('=');
				if (eq > 0) {
					query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
							URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
				}
			}
		}
		return query;
	}

	static void send(HttpExchange exchange, int status, String body, String link) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		if (link != null) {
			exchange.getResponseHeaders().set("Link", link);
		}
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	static StringBuilder field(StringBuilder json, String name, String value) {
		return json.append('"').append(name).append("\":").append(quote(value));
	}

	static String quote(String value) {
		StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				quoted.append('\\').append(c);
			}
			else if (c < 0x20) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

}
