package io.tributary.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.tributary.HttpEdgeTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real answers over HTTP against the OpenAPI document the gateway serves, for what the
 * demo's data does not show: every field that can be null or left out, on rows made to
 * hold every null the tables allow (an interaction with only its required columns, a
 * reject without upstream id or run, a running run, a connection that never ran), asked
 * with each {@code Accept} a generated client sends; every limit the document declares on
 * a parameter, enforced (one past it is a 400 naming the parameter, the limit itself is
 * not refused for it); and the refusals given before any controller runs.
 */
@HttpEdgeTest
class OpenApiAnswersTests {

	private static final String CONNECTION = HttpEdgeTest.CONNECTION;

	private static final String JSON = "application/json";

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private JsonMapper json;

	@Autowired
	private JdbcClient jdbc;

	private OpenApiDocument document;

	@BeforeEach
	void freshConnectionAndTheDocument() {
		lock("now()");
		for (String table : List.of("sync_run", "sync_reject", "interaction")) {
			this.jdbc.sql("DELETE FROM " + table + " WHERE connection = :connection")
				.param("connection", CONNECTION)
				.update();
		}
		this.document = new OpenApiDocument(this.json.readTree(send("GET", "/v3/api-docs", "").body()), this.json);
	}

	@Test
	void everyNullAndAbsenceTheTablesAllowIsADocumentedAnswer() {
		// a connection that never ran: no last run, success, lag or error
		JsonNode source = documented("getSource", "GET", "/api/v1/sources/" + CONNECTION, 200);
		assertThat(source.get("lastRun").isNull()).isTrue();
		assertThat(source.get("lagSeconds").isNull()).isTrue();
		documented("listSources", "GET", "/api/v1/sources", 200);

		UUID minimal = interaction("minimal", false);
		UUID full = interaction("full", true);
		JsonNode bare = documented("getInteraction", "GET", "/api/v1/interactions/" + minimal, 200);
		assertThat(bare.at("/participant/id").isNull()).isTrue();
		assertThat(bare.at("/usage/inputTokens").isNull()).isTrue();
		assertThat(bare.at("/rating/normalized").isNull()).isTrue();
		assertThat(bare.has("raw")).as("raw only with include=raw").isFalse();
		JsonNode raw = documented("getInteraction", "GET", "/api/v1/interactions/" + full + "?include=raw", 200);
		assertThat(raw.at("/messages/0/role").isNull()).isTrue();
		assertThat(raw.get("deletedAt").isNull()).isFalse();
		String list = "/api/v1/interactions?includeDeleted=true&connection=" + CONNECTION;
		assertThat(
				documented("listInteractions", "GET", list + "&limit=1&includeTotal=true", 200).at("/page/nextCursor")
					.isString())
			.isTrue();
		JsonNode last = documented("listInteractions", "GET", list, 200);
		assertThat(last.at("/page/nextCursor").isNull()).isTrue();
		assertThat(last.at("/page").has("total")).as("total only with includeTotal=true").isFalse();

		long failed = run("failed", "'abandoned: the process running it stopped'", null);
		long resumed = run("succeeded", "NULL", failed);
		// a live run holds its connection's lock
		lock("now() + interval '1 hour'");
		long running = this.jdbc
			.sql("INSERT INTO sync_run (connection, mode) VALUES (:connection, 'full') RETURNING id")
			.param("connection", CONNECTION)
			.query(Long.class)
			.single();
		JsonNode open = documented("getSyncRun", "GET", "/api/v1/sync-runs/" + running, 200);
		assertThat(open.get("finishedAt").isNull()).isTrue();
		assertThat(documented("getSyncRun", "GET", "/api/v1/sync-runs/" + resumed, 200).get("resumedFrom").asLong())
			.isEqualTo(failed);
		documented("listSyncRuns", "GET", "/api/v1/sync-runs?limit=1&connection=" + CONNECTION, 200);
		documented("listSyncRuns", "GET", "/api/v1/sync-runs?connection=" + CONNECTION, 200);

		reject(null, "null", null);
		reject("item-7", "{\"id\": \"item-7\", \"created\": \"2023-13-45\"}", resumed);
		JsonNode rejects = documented("listRejects", "GET", "/api/v1/sources/" + CONNECTION + "/rejects", 200);
		assertThat(rejects.at("/items/1/sourceId").isNull()).as("newest first: the first reject").isTrue();
		assertThat(rejects.at("/items/1/lastRunId").isNull()).isTrue();
		documented("listRejects", "GET", "/api/v1/sources/" + CONNECTION + "/rejects?limit=1", 200);

		// the running run's lock is gone: reading the sources shows it abandoned
		lock("now()");
		assertThat(
				documented("getSource", "GET", "/api/v1/sources/" + CONNECTION, 200).at("/lastRun/outcome").asString())
			.isEqualTo("failed");
		lock("now() + interval '1 hour'");
		documented("triggerSync", "POST", "/api/v1/sources/" + CONNECTION + "/sync", 409);
		lock("now()");
		Answer started = send("POST", "/api/v1/sources/" + CONNECTION + "/sync?mode=full", "application/json");
		assertThat(this.document.violations("triggerSync", started.status(), started.contentType(), started.body(),
				started::header))
			.as(started.toString())
			.isEmpty();
		assertThat(started.status()).isEqualTo(202);
		long run = this.json.readTree(started.body()).get("runId").asLong();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !this.json.readTree(send("GET", "/api/v1/sync-runs/" + run, "").body())
				.get("outcome")
				.asString()
				.equals("running"));
		assertThat(documented("getSyncRun", "GET", "/api/v1/sync-runs/" + run, 200).get("error").isString()).isTrue();
	}

	@Test
	void theKeysApiAnswersAsDocumented() {
		String name = "documented-" + UUID.randomUUID().toString().substring(0, 8);
		Answer created = send("POST", "/api/v1/api-keys?name=" + name + "&scope=read&scope=operate", JSON);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(this.document.violations("createApiKey", created.status(), created.contentType(), created.body(),
				created::header))
			.isEmpty();
		Answer expiring = send("POST", "/api/v1/api-keys?name=" + name + "-x&scope=read&connection=" + CONNECTION
				+ "&expiresAt=2099-01-01T00:00:00Z&rateLimitRequests=5" + "&rateLimitPeriod=PT1M", JSON);
		assertThat(expiring.status()).as(expiring.toString()).isEqualTo(201);
		assertThat(this.document.violations("createApiKey", expiring.status(), expiring.contentType(), expiring.body(),
				expiring::header))
			.isEmpty();
		documented("listApiKeys", "GET", "/api/v1/api-keys?limit=2", 200);
		documented("getApiKey", "GET", "/api/v1/api-keys/" + name, 200);
		documented("getApiKey", "GET", "/api/v1/api-keys/no-such-key", 404);
		documented("revokeApiKey", "POST", "/api/v1/api-keys/" + name + "/revoke", 200);
		documented("expireApiKey", "POST", "/api/v1/api-keys/" + name + "/expire", 409);
		documented("createApiKey", "POST", "/api/v1/api-keys?name=" + name + "&scope=read", 409);
		documented("createApiKey", "POST", "/api/v1/api-keys?name=" + name + "-y&scope=admin", 400);
		assertThat(documented("getApiKey", "GET", "/api/v1/api-keys/" + name, 200).get("revokedAt").isString())
			.isTrue();
	}

	@Test
	void everyLimitTheDocumentDeclaresOnAParameterIsTheGatewaysLimit() {
		UUID interaction = interaction("limits", false);
		long run = run("succeeded", "NULL", null);
		List<String> checked = new ArrayList<>();
		for (OpenApiDocument.Operation operation : this.document.operations()) {
			Map<String, String> valid = Map.of("connection", CONNECTION, "id",
					operation.path().startsWith("/api/v1/interactions") ? interaction.toString() : Long.toString(run),
					"threadId", "thread-limits", "externalParticipantId", "user-limits", "name", "no-such-key");
			for (JsonNode parameter : operation.parameters()) {
				String name = parameter.get("name").asString();
				boolean inPath = "path".equals(parameter.get("in").asString());
				// lists show only this connection's rows: the database is shared with
				// other tests
				String only = (!name.equals("connection")
						&& operation.parameters()
							.stream()
							.anyMatch((other) -> other.get("name").asString().equals("connection")
									&& other.get("in").asString().equals("query"))) ? "connection=" + CONNECTION + "&"
											: "";
				for (Limit limit : limits(parameter.get("schema"), name)) {
					String target = inPath ? fill(operation.path(), valid, name, limit.values().get(0)) + "?" + only
							: fill(operation.path(), valid, null, null) + "?" + only + limit.query();
					Answer answer = send(operation.method(), target, "");
					String what = operation.id() + " " + name + " " + limit.describe() + ": " + answer;
					assertThat(answer.status()).as(what).isLessThan(500);
					boolean refusedForIt = answer.status() == 400
							&& name.equals(this.json.readTree(answer.body()).path("parameter").asString());
					assertThat(refusedForIt).as(what).isEqualTo(limit.beyond());
					assertThat(this.document.violations(operation.id(), answer.status(), answer.contentType(),
							answer.body(), answer::header))
						.as(what)
						.isEmpty();
					checked.add(operation.id() + " " + name);
				}
			}
		}
		assertThat(checked).as("limits checked")
			.contains("listInteractions q", "listInteractions source", "listInteractions limit",
					"listInteractions minRating", "getInteraction id", "getInteraction include", "getSyncRun id",
					"listRejects connection", "triggerSync connection", "listSyncRuns cursor");
	}

	@Test
	void refusalsBeforeAnyControllerAreDocumentedAnswers() {
		RawHttp http = new RawHttp(this.port);
		List<String> key = List.of("X-API-Key: " + HttpEdgeTest.KEY);
		record Refusal(String operationId, String method, String target, List<String> headers) {
		}
		List<Refusal> refusals = List.of(new Refusal("getInteraction", "GET", "/api/v1/interactions/%zz", key),
				new Refusal("getInteraction", "GET", "/api/v1/interactions/a%2Fb", key),
				new Refusal("listInteractions", "GET", "/api/v1/interactions?limit=%zz", key),
				new Refusal("listInteractions", "GET", "/api/v1/interactions?=x", key),
				new Refusal("listInteractions", "GET", "/api/v1/interactions?sourc=zylon", key),
				new Refusal("getSyncRun", "GET", "/api/v1/sync-runs/%00", key),
				new Refusal("getSyncRun", "GET", "/api/v1/sync-runs/x", key),
				new Refusal("listSources", "GET", "/api/v1/sources", List.of()),
				new Refusal("listSources", "GET", "/api/v1/sources", List.of("X-API-Key: no-such-key-0123456789")),
				new Refusal("triggerSync", "POST", "/api/v1/sources/" + CONNECTION + "/sync",
						List.of("Authorization: Bearer no-such-key-0123456789")));
		for (Refusal refusal : refusals) {
			for (String accept : this.document.generatedAccepts(refusal.operationId())) {
				List<String> headers = new ArrayList<>(refusal.headers());
				if (!accept.isEmpty()) {
					headers.add("Accept: " + accept);
				}
				RawHttp.Response answer = http.send(refusal.method(), refusal.target(), headers);
				String what = refusal.method() + " " + refusal.target() + " (Accept: " + accept + "): " + answer;
				assertThat(answer.status()).as(what).isBetween(400, 499);
				assertThat(this.document.violations(refusal.operationId(), answer.status(), answer.contentType(),
						answer.body(), answer::header))
					.as(what)
					.isEmpty();
			}
		}
	}

	@Test
	void answersTheDocumentDoesNotAllowAreCaught() {
		String run = "{\"id\": 1, \"connection\": \"a\", \"mode\": \"full\", \"startedAt\": \"2026-11-23T10:00:00Z\", "
				+ "\"finishedAt\": null, \"outcome\": \"running\", \"pages\": 0, \"fetched\": 0, \"inserted\": 0, "
				+ "\"updated\": 0, \"unchanged\": 0, \"rejected\": 0, \"deleted\": 0, \"error\": null, \"warning\": null, "
				+ "\"resumedFrom\": null, \"progress\": null}";
		assertThat(this.document.violations("getSyncRun", 200, "application/json", run)).isEmpty();
		assertThat(this.document.violations("getSyncRun", 200, "application/json",
				run.replace("\"connection\": \"a\"", "\"connection\": null")))
			.as("null where the document says never")
			.isNotEmpty();
		assertThat(
				this.document.violations("getSyncRun", 200, "application/json", run.replace("\"error\": null, ", "")))
			.as("a required field left out")
			.isNotEmpty();
		assertThat(this.document.violations("getSyncRun", 200, "application/json",
				run.replace("\"startedAt\": \"2026-11-23T10:00:00Z\"", "\"startedAt\": \"yesterday\"")))
			.as("not a date-time")
			.isNotEmpty();
		assertThat(this.document.violations("getSyncRun", 200, "application/problem+json", run))
			.as("an undocumented media type")
			.isNotEmpty();
		assertThat(this.document.violations("listSources", 404, "application/problem+json", "{}"))
			.as("an undocumented status")
			.isNotEmpty();
		assertThat(this.document.violations("getSyncRun", 200, "application/json", run,
				(header) -> header.equals("RateLimit-Remaining") ? "-1" : null))
			.as("a header below its minimum")
			.isNotEmpty();
	}

	/**
	 * Calls the operation with each {@code Accept} a generated client derives from the
	 * document; each answer must be the documented one.
	 * @return the body of the last answer
	 */
	private JsonNode documented(String operationId, String method, String target, int status) {
		Answer answer = null;
		for (String accept : this.document.generatedAccepts(operationId)) {
			answer = send(method, target, accept);
			String what = operationId + " " + target + " (Accept: " + accept + "): " + answer;
			assertThat(answer.status()).as(what).isEqualTo(status);
			assertThat(this.document.violations(operationId, answer.status(), answer.contentType(), answer.body(),
					answer::header))
				.as(what)
				.isEmpty();
		}
		return this.json.readTree(answer.body());
	}

	/**
	 * Every HTTP call of these tests: the one place that says how a client authenticates.
	 */
	private Answer send(String method, String target, String accept) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + target))
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.header("X-API-Key", HttpEdgeTest.KEY);
		if (!accept.isEmpty()) {
			request.header("Accept", accept);
		}
		try {
			HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
					response.body(), response.headers());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An interaction of the edge connection: with every nullable column null, or with
	 * every column set (and deleted upstream).
	 */
	private UUID interaction(String sourceId, boolean full) {
		String columns = "source, connection, source_id, status, created_at, updated_at, content_hash, raw";
		String values = "'flockx', :connection, :sourceId, 'completed', now(), now(), 'hash', '{}'";
		if (full) {
			columns += ", thread_id, participant_id, participant_external_id, participant_type, organization_id, "
					+ "organization_external_id, product_id, version_id, model, input_text, output_text, messages, "
					+ "input_tokens, output_tokens, rating, rating_min, rating_max, rating_normalized, feedback, "
					+ "attributes, deleted_at";
			values += ", 'thread', 'participant', 'external', 'user', 'org', 'org-external', 'product', 'v2', "
					+ "'gpt-4o', 'question', 'answer', '[{\"role\": null, \"type\": \"text\", \"text\": null}, "
					+ "{\"role\": \"user\", \"type\": \"image\", \"text\": \"cat.png\"}]', 120, 348, 4, 1, 5, 0.75, "
					+ "'helpful', '{\"channel\": \"web\"}', now()";
		}
		return this.jdbc.sql("INSERT INTO interaction (" + columns + ") VALUES (" + values + ") RETURNING id")
			.param("connection", CONNECTION)
			.param("sourceId", sourceId + "-" + UUID.randomUUID())
			.query(UUID.class)
			.single();
	}

	/**
	 * Sets the connection's ShedLock lease, as another replica running it would (the row
	 * stays: ShedLock only updates a lock row it once created).
	 */
	private void lock(String until) {
		this.jdbc
			.sql("INSERT INTO shedlock (name, lock_until, locked_at, locked_by) VALUES (:lock, " + until
					+ ", now(), 'another replica') ON CONFLICT (name) DO UPDATE SET lock_until = excluded.lock_until")
			.param("lock", "sync-" + CONNECTION)
			.update();
	}

	private long run(String outcome, String error, Long resumedFrom) {
		return this.jdbc
			.sql("INSERT INTO sync_run (connection, mode, finished_at, outcome, error, resumed_from) "
					+ "VALUES (:connection, 'full', now(), :outcome, " + error + ", :resumedFrom) RETURNING id")
			.param("connection", CONNECTION)
			.param("outcome", outcome)
			.param("resumedFrom", resumedFrom)
			.query(Long.class)
			.single();
	}

	private void reject(String sourceId, String payload, Long runId) {
		this.jdbc.sql("INSERT INTO sync_reject (connection, source_id, item_key, reason, payload, last_run_id) "
				+ "VALUES (:connection, :sourceId, :key, 'no readable creation time', CAST(:payload AS jsonb), :run)")
			.param("connection", CONNECTION)
			.param("sourceId", sourceId)
			.param("key", "key-" + UUID.randomUUID())
			.param("payload", payload)
			.param("run", runId)
			.update();
	}

	/**
	 * The path template with its variables filled in: {@code name} with {@code value},
	 * the others with valid values.
	 */
	private static String fill(String template, Map<String, String> valid, String name, String value) {
		String path = template;
		for (Map.Entry<String, String> variable : valid.entrySet()) {
			path = path.replace("{" + variable.getKey() + "}",
					variable.getKey().equals(name) ? value : variable.getValue());
		}
		return path;
	}

	/**
	 * Values just beyond each limit the schema declares, and at it. At the limit only
	 * where any value of that length or size is otherwise valid: not for opaque cursors
	 * or formatted strings.
	 */
	private static List<Limit> limits(JsonNode schema, String name) {
		List<Limit> limits = new ArrayList<>();
		if (schema.has("maxLength") && !schema.has("enum")) {
			int max = schema.get("maxLength").asInt();
			limits.add(new Limit(name, List.of("a".repeat(max + 1)), true, "maxLength " + max + " + 1"));
			if (!schema.has("format") && !name.equals("cursor")) {
				limits.add(new Limit(name, List.of("a".repeat(max)), false, "maxLength " + max));
			}
		}
		if (schema.has("maxItems")) {
			int max = schema.get("maxItems").asInt();
			JsonNode items = schema.path("items");
			String item = items.has("enum") ? items.get("enum").get(0).asString() : items.path("example").asString("a");
			limits.add(new Limit(name, Collections.nCopies(max + 1, item), true, "maxItems " + max + " + 1"));
			limits.add(new Limit(name, Collections.nCopies(max, item), false, "maxItems " + max));
		}
		if (schema.has("minimum")) {
			BigDecimal min = schema.get("minimum").decimalValue();
			limits.add(new Limit(name, List.of(min.subtract(BigDecimal.ONE).toPlainString()), true,
					"minimum " + min + " - 1"));
			limits.add(new Limit(name, List.of(min.toPlainString()), false, "minimum " + min));
		}
		if (schema.has("maximum")) {
			BigDecimal max = schema.get("maximum").decimalValue();
			limits.add(
					new Limit(name, List.of(max.add(BigDecimal.ONE).toPlainString()), true, "maximum " + max + " + 1"));
			limits.add(new Limit(name, List.of(max.toPlainString()), false, "maximum " + max));
		}
		return limits;
	}

	/**
	 * A parameter's values at or beyond one of its limits.
	 *
	 * @param name the parameter
	 * @param values its values (several for a repeated parameter)
	 * @param beyond whether they break the limit
	 * @param description which limit
	 */
	private record Limit(String name, List<String> values, boolean beyond, String description) {

		/** As a query string. */
		String query() {
			return this.values.stream().map((value) -> this.name + "=" + value).collect(Collectors.joining("&"));
		}

		String describe() {
			return this.description;
		}

	}

	/**
	 * An answer.
	 *
	 * @param status the status
	 * @param contentType its {@code Content-Type}, or null
	 * @param body the body
	 * @param headers all headers
	 */
	private record Answer(int status, String contentType, String body, java.net.http.HttpHeaders headers) {

		String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		@Override
		public String toString() {
			return this.status + " " + this.contentType + " " + this.body;
		}

	}

}
