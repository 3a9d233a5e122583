package io.tributary.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OpenAPI document against the gateway it describes, on the demo's synced data: every
 * operation has the id a generated client names its method after, and every answer of a
 * real request — successes and errors, with each {@code Accept} a generated client
 * derives from the document — is the documented status, media type and schema (validated
 * as JSON Schema 2020-12, which OpenAPI 3.1 schemas are). Also writes the document to
 * {@code target/openapi.json} for {@code scripts/lint-openapi.sh}.
 */
@SandboxTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiConformanceTests {

	static final String READER_KEY = SandboxTest.READER_KEY;

	/**
	 * The {@link SandboxTest} context's clock (the document and the answers do not depend
	 * on the time; the override is what lets this class share the context).
	 */
	@TestBean(methodName = SandboxTestSupport.CLOCK_FACTORY)
	private Clock clock;

	private static final String JSON = "application/json";

	private static final String PROBLEM_JSON = "application/problem+json";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Autowired
	private JdbcClient jdbc;

	private JsonNode document;

	private SandboxTestSupport.Gateway gateway;

	private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	@BeforeAll
	void syncedDemoAndTheDocument() throws Exception {
		this.gateway = new SandboxTestSupport.Gateway(this.mvc, this.json, this.jdbc);
		this.gateway.reset();
		for (String connection : SandboxTestSupport.CONNECTIONS) {
			this.gateway.awaitRun(this.gateway.trigger(connection, "full"));
		}
		String text = this.mvc.perform(MockMvcRequestBuilders.get("/v3/api-docs"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target", "openapi.json"), text);
		this.document = this.json.readTree(text);
	}

	@Test
	void operationIdsAreExplicitAndUnique() {
		List<String> ids = new ArrayList<>();
		this.document.get("paths")
			.forEach((path) -> path.forEach((operation) -> ids.add(operation.path("operationId").asString())));
		assertThat(ids).containsExactlyInAnyOrder("listInteractions", "getInteraction", "listSources", "getSource",
				"triggerSync", "listRejects", "listSyncRuns", "getSyncRun", "interactionStats", "exportInteractions",
				"listThreads", "getThread", "listParticipants", "getParticipantInteractions", "renormalize",
				"rebuildRollups", "listApiKeys", "createApiKey", "getApiKey", "revokeApiKey", "expireApiKey");
	}

	@Test
	void theSecuritySchemesAreDeclaredAndRequired() {
		assertThat(this.document.at("/components/securitySchemes/apiKey/name").asString()).isEqualTo("X-API-Key");
		assertThat(this.document.at("/components/securitySchemes/apiKey/in").asString()).isEqualTo("header");
		assertThat(this.document.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
		assertThat(this.document.get("security").toString()).isEqualTo("[{\"apiKey\":[]},{\"bearer\":[]}]");
		this.document.get("paths").forEach((path) -> path.forEach((operation) -> {
			JsonNode responses = operation.get("responses");
			for (String status : List.of("400", "401", "403", "429", "500")) {
				assertThat(responses.at("/" + status + "/content").propertyNames())
					.as(operation.get("operationId") + " " + status)
					.containsExactly(PROBLEM_JSON);
			}
			assertThat(responses.at("/401/headers").has("WWW-Authenticate")).isTrue();
			assertThat(responses.at("/429/headers").has("Retry-After")).isTrue();
			responses.propertyNames()
				.stream()
				.filter((status) -> status.startsWith("2") || status.startsWith("4"))
				.forEach((status) -> assertThat(responses.at("/" + status + "/headers").propertyNames())
					.as(operation.get("operationId") + " " + status)
					.contains("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"));
		}));
	}

	@Test
	void fieldsThatCanBeNullSayTheyCan() {
		JsonNode summary = this.document.at("/components/schemas/InteractionSummary");
		assertThat(summary.get("required").valueStream().map(JsonNode::asString)).contains("id", "source", "connection",
				"sourceId", "threadId", "versionId", "inputText", "feedback", "usage", "rating", "createdAt",
				"deletedAt");
		assertThat(summary.at("/properties/versionId/type").toString()).isEqualTo("[\"string\",\"null\"]");
		assertThat(summary.at("/properties/createdAt/type").asString()).isEqualTo("string");
		assertThat(this.document.at("/components/schemas/Usage/properties/inputTokens/type").toString())
			.isEqualTo("[\"integer\",\"null\"]");
		assertThat(this.document.at("/components/schemas/SourceStatus/properties/lastRun/oneOf").toString())
			.contains("#/components/schemas/SyncRun", "null");
		assertThat(this.document.at("/components/schemas/PageInfo/required").toString()).doesNotContain("total");
	}

	@Test
	void everyAnswerOfEveryOperationMatchesTheDocument() throws Exception {
		String interaction = body(call("listInteractions", get("/api/v1/interactions?limit=3"), JSON, 200))
			.at("/items/0/id")
			.asString();
		long run = body(call("listSyncRuns", get("/api/v1/sync-runs?limit=2"), JSON, 200)).at("/items/0/id").asLong();
		call("listInteractions", get("/api/v1/interactions?limit=200&includeTotal=true&sort=updatedAt"), JSON, 200);
		call("listInteractions", get("/api/v1/interactions?source=greenflash&limit=2&includeDeleted=true"), JSON, 200);
		call("listInteractions", get("/api/v1/interactions?limit=0"), PROBLEM_JSON, 400);
		call("listInteractions", get("/api/v1/interactions?cursor=forged"), PROBLEM_JSON, 400);
		call("listInteractions", get("/api/v1/interactions").header("X-API-Key", "no-such-key-000000000"), PROBLEM_JSON,
				401);
		call("getInteraction", get("/api/v1/interactions/" + interaction), JSON, 200);
		call("getInteraction", get("/api/v1/interactions/" + interaction + "?include=raw"), JSON, 200);
		call("getInteraction", get("/api/v1/interactions/0b6f2d7e-8c1a-4f5e-9d3b-2a7c4e1f6a90"), PROBLEM_JSON, 404);
		call("getInteraction", get("/api/v1/interactions/not-a-uuid"), PROBLEM_JSON, 400);
		call("listSources", get("/api/v1/sources"), JSON, 200);
		for (String connection : SandboxTestSupport.CONNECTIONS) {
			call("getSource", get("/api/v1/sources/" + connection), JSON, 200);
			call("listRejects", get("/api/v1/sources/" + connection + "/rejects?limit=5"), JSON, 200);
		}
		call("getSource", get("/api/v1/sources/nope"), PROBLEM_JSON, 404);
		call("listRejects", get("/api/v1/sources/zylon-demo/rejects?limit=900"), PROBLEM_JSON, 400);
		call("listSyncRuns", get("/api/v1/sync-runs?connection=zylon-demo&limit=200"), JSON, 200);
		call("listSyncRuns", get("/api/v1/sync-runs?connection=nope"), PROBLEM_JSON, 404);
		call("getSyncRun", get("/api/v1/sync-runs/" + run), JSON, 200);
		call("getSyncRun", get("/api/v1/sync-runs/999999999"), PROBLEM_JSON, 404);
		call("triggerSync", post("/api/v1/sources/nope/sync"), PROBLEM_JSON, 404);
		call("triggerSync", post("/api/v1/sources/zylon-demo/sync?mode=sometimes"), PROBLEM_JSON, 400);
		call("triggerSync", post("/api/v1/sources/zylon-demo/sync").header("X-API-Key", READER_KEY), PROBLEM_JSON, 403);
		call("triggerSync", post("/api/v1/sources/greenflash-demo/sync"), JSON, 202);
	}

	/**
	 * Spectral with the OWASP API Security Top 10 ruleset finds no error in the document
	 * ({@code scripts/lint-openapi.sh}; disabled rules and their reasons are in
	 * {@code .spectral.yaml}). Skipped where Node or the npm registry is missing.
	 */
	@Test
	void theDocumentPassesTheOwaspRuleset() throws Exception {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/npm")) || Files.isExecutable(Path.of("/usr/local/bin/npm")),
				"npm is not installed");
		// the output goes to a file: reading the pipe would wait for the end, however
		// long npm takes
		Path log = Path.of("target", "spectral-lint.txt");
		Process lint = new ProcessBuilder("bash", "scripts/lint-openapi.sh", "target/openapi.json")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		boolean finished = lint.waitFor(5, java.util.concurrent.TimeUnit.MINUTES);
		if (!finished) {
			lint.descendants().forEach(ProcessHandle::destroyForcibly);
			lint.destroyForcibly();
		}
		String output = Files.readString(log);
		assumeTrue(finished, "Spectral did not finish within 5 minutes (npm registry slow or out of reach): " + output);
		assumeTrue(lint.exitValue() != 3, "Spectral could not be installed: " + output);
		assertThat(lint.exitValue()).as(output).isZero();
		assertThat(output).contains("0 errors");
	}

	@Test
	void theValidatorCatchesABodyThatBreaksTheDocument() {
		JsonNode page = this.json.readTree("{\"items\":[{\"id\":\"x\"}],\"page\":{\"limit\":\"fifty\"}}");
		assertThat(errors(schemaOf("listInteractions", "200", JSON), page)).isNotEmpty();
		JsonNode nullId = this.json
			.readTree("{\"id\":null,\"connection\":\"a\",\"mode\":\"full\",\"startedAt\":\"x\"}");
		assertThat(errors(schemaOf("getSyncRun", "200", JSON), nullId)).isNotEmpty();
	}

	/**
	 * Sends the request once with each {@code Accept} a generated client may derive from
	 * the operation's documented media types (the first JSON one, as openapi-generator's
	 * Python client picks; each one alone; all of them; none) and checks each answer.
	 */
	private MockHttpServletResponse call(String operationId, MockHttpServletRequestBuilder request, String expectedType,
			int expectedStatus) throws Exception {
		MockHttpServletResponse last = null;
		for (String accept : acceptHeaders(operationId)) {
			if (!accept.isEmpty()) {
				request.header("Accept", accept);
			}
			// a run just ended may hold its connection's lock for a few more milliseconds
			MockHttpServletResponse response = await("an answer other than 409").atMost(Duration.ofSeconds(60))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> this.mvc.perform(request).andReturn().getResponse(),
						(answer) -> answer.getStatus() != 409);
			if (response.getStatus() == 202) {
				this.gateway.awaitRun(body(response).get("runId").asLong());
			}
			String what = operationId + " with Accept '" + accept + "': " + response.getContentAsString();
			assertThat(response.getStatus()).as(what).isEqualTo(expectedStatus);
			assertThat(response.getContentType()).as(what).startsWith(expectedType);
			JsonNode schema = schemaOf(operationId, Integer.toString(expectedStatus), expectedType);
			assertThat(schema).as(what + ": documented").isNotNull();
			assertThat(errors(schema, body(response))).as(what).isEmpty();
			last = response;
		}
		return last;
	}

	private List<String> acceptHeaders(String operationId) {
		Set<String> types = new LinkedHashSet<>();
		operation(operationId).get("responses")
			.forEach((response) -> types.addAll(response.path("content").propertyNames()));
		List<String> accepts = new ArrayList<>();
		types.stream().filter((type) -> type.contains("json")).findFirst().ifPresent(accepts::add);
		accepts.addAll(types);
		accepts.add(String.join(", ", types));
		accepts.add("");
		return accepts.stream().distinct().toList();
	}

	private JsonNode operation(String operationId) {
		for (JsonNode path : this.document.get("paths")) {
			for (JsonNode operation : path) {
				if (operationId.equals(operation.path("operationId").asString())) {
					return operation;
				}
			}
		}
		throw new AssertionError("No operation " + operationId);
	}

	private JsonNode schemaOf(String operationId, String status, String mediaType) {
		JsonNode schema = operation(operationId).at("/responses/" + status + "/content").path(mediaType).get("schema");
		return schema;
	}

	/**
	 * The response schema as a JSON Schema whose references reach the document's
	 * components.
	 */
	private List<Error> errors(JsonNode schema, JsonNode body) {
		ObjectNode root = this.json.createObjectNode();
		root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
		root.set("components", this.document.get("components"));
		root.putObject("$defs").set("answer", schema);
		root.put("$ref", "#/$defs/answer");
		return this.schemas.getSchema(root.toString()).validate(body);
	}

	private JsonNode body(MockHttpServletResponse response) throws Exception {
		return this.json.readTree(response.getContentAsString());
	}

	private static MockHttpServletRequestBuilder get(String uri) {
		return MockMvcRequestBuilders.get(uri);
	}

	private static MockHttpServletRequestBuilder post(String uri) {
		return MockMvcRequestBuilders.post(uri);
	}

}
