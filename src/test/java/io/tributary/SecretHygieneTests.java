package io.tributary;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Secrets never leave: with recognisable secrets configured (an upstream key, a token in
 * the connection's base URL, our API key, the cursor secret) and sent (a wrong API key,
 * secrets inside upstream payloads and error answers), and with the loggers that could
 * print them at TRACE (WebClient, codecs, Reactor Netty, Tomcat, Spring MVC and Security,
 * request details switched on in the configuration), successful and failing syncs and
 * every kind of API and Actuator request leave none of them in the captured log, in any
 * response body or header, or in any table.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"tributary.sync.scheduling-enabled=false", "tributary.api.cursor-secret=" + SecretHygieneTests.CURSOR_SECRET,
		"tributary.security.api-keys[0].name=hygiene-operator",
		"tributary.security.api-keys[0].key=" + SecretHygieneTests.API_KEY,
		"tributary.security.api-keys[0].scopes=read,operate",
		"tributary.security.api-keys[0].rate-limit.requests=10000", "tributary.sources.hygiene.type=flockx",
		"tributary.sources.hygiene.api-key=" + SecretHygieneTests.UPSTREAM_KEY,
		"tributary.sources.hygiene.page-size=10", "tributary.sources.hygiene.read-timeout=PT2S",
		"tributary.sources.hygiene.retry.max-attempts=2", "tributary.sources.hygiene.retry.initial-backoff=PT0.01S",
		// the worst an operator could configure: every endpoint, every value shown,
		// request details logged
		"management.endpoints.web.exposure.include=*", "management.endpoint.env.show-values=always",
		"management.endpoint.configprops.show-values=always", "management.endpoint.health.show-details=always",
		"spring.codec.log-request-details=true", "spring.mvc.log-request-details=true" })
@Import(TestPostgresConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class SecretHygieneTests {

	static final String UPSTREAM_KEY = "UPSTREAM-SECRET-7f3a9c21d4e8b6a0";

	static final String API_KEY = "API-SECRET-5b2e8d7c1a9f4036";

	static final String WRONG_KEY = "WRONG-KEY-SECRET-c4d1e7a9b2f5";

	static final String PAYLOAD_SECRET = "PAYLOAD-SECRET-3d9a7e51b8c2";

	static final String BASE_URL_SECRET = "BASEURL-SECRET-e2b7c9d4a1f6";

	static final String CURSOR_SECRET = "CURSOR-SECRET-9a4f2e7c1b8d5063-for-tests-only";

	/**
	 * What is searched for: each secret's recognisable prefix, and its random part on its
	 * own (a secret cut, re-encoded or glued to other text still shows it).
	 */
	static final List<String> RECOGNISABLE = List.of("UPSTREAM-SECRET", "7f3a9c21d4e8b6a0", "API-SECRET",
			"5b2e8d7c1a9f4036", "WRONG-KEY-SECRET", "c4d1e7a9b2f5", "PAYLOAD-SECRET", "PAYLOADSECRET", "3d9a7e51b8c2",
			"BASEURL-SECRET", "e2b7c9d4a1f6", "CURSOR-SECRET", "9a4f2e7c1b8d5063");

	private static final String CONNECTION = "hygiene";

	/** Loggers that print requests, headers or bodies when asked to. */
	private static final List<String> CHATTY_LOGGERS = List.of("org.springframework.web", "org.springframework.http",
			"org.springframework.core.codec", "reactor.netty", "io.netty.handler.logging",
			"org.springframework.security", "org.apache.coyote", "org.apache.tomcat.util.http",
			"org.apache.catalina.connector", "org.springframework.jdbc.core", "org.springframework.boot.actuate",
			"io.tributary");

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@DynamicPropertySource
	static void upstreamUrl(DynamicPropertyRegistry registry) {
		registry.add("tributary.sources.hygiene.base-url",
				() -> upstream.baseUrl() + "/api/v1?token=" + BASE_URL_SECRET);
	}

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private JsonMapper json;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** Every answer of the gateway in this test, for the search at the end. */
	private final List<String> answers = new ArrayList<>();

	@Test
	void noSecretInLogsAnswersOrTables(CapturedOutput output) throws Exception {
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		CHATTY_LOGGERS.forEach((logger) -> logging.setLogLevel(logger, LogLevel.TRACE));
		try {
			syncsSucceedingAndFailing();
			apiRequests();
			actuatorRequests();
			requestsWithWrongOrMisplacedKeys();
		}
		finally {
			CHATTY_LOGGERS.forEach((logger) -> logging.setLogLevel(logger, null));
		}

		assertNoSecret("the captured log", output.getAll());
		assertThat(output.getAll()).as("the chatty loggers did log requests, their headers masked, their URLs redacted")
			.contains("HTTP GET " + upstream.baseUrl() + "/api/v1/interactions, headers={masked}")
			.contains("uri=" + upstream.baseUrl() + "/api/v1/interactions?token=[redacted]&page=1")
			.contains("spring.codec.log-request-details=true is ignored");
		for (String answer : this.answers) {
			assertNoSecret("an answer", answer);
		}
		Map<String, String> tables = tables();
		assertThat(tables).containsKeys("interaction", "sync_run", "sync_reject");
		tables.forEach((table, rows) -> assertNoSecret("table " + table, rows));
	}

	@Test
	void theSearchFindsEachSecretEvenCutOrReEncoded() {
		for (String secret : List.of(UPSTREAM_KEY, API_KEY, WRONG_KEY, PAYLOAD_SECRET, BASE_URL_SECRET,
				CURSOR_SECRET)) {
			assertThat(leaks("…" + secret + "…")).as(secret).isNotEmpty();
			assertThat(leaks(secret.substring(0, secret.length() - 4).replace("-", "%2D"))).as(secret).isNotEmpty();
		}
		assertThat(leaks("[redacted]")).isEmpty();
	}

	/**
	 * A run that stores items with secrets in their payloads (and one echoing the key),
	 * rejects one the mapper refuses and one PostgreSQL refuses; then runs failing with a
	 * 401 echoing the key, a 500 with secrets in its body, a malformed and a non-JSON
	 * answer, and JSON of the wrong shape.
	 */
	private void syncsSucceedingAndFailing() throws Exception {
		upstream
			.stubFor(list().willReturn(okJson("{\"items\":[" + item("good-1", "2026-11-20T12:00:00Z") + ","
					+ item("echo-1", "2026-11-20T11:59:00Z").replace("\"note\":\"hi\"",
							"\"note\":\"" + UPSTREAM_KEY + "\"")
					+ "," + item("bad-time", "the day before yesterday") + ","
					+ item("far-future", "+300000-01-01T00:00:00Z") + "],\"meta\":{\"has_next\":false}}")));
		JsonNode stored = sync("full");
		assertThat(stored.get("outcome").asString()).as(stored.toString()).isEqualTo("succeeded");
		assertThat(stored.get("inserted").asInt()).isEqualTo(2);
		assertThat(stored.get("rejected").asInt()).isEqualTo(2);
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/interactions"))
			.withHeader("Authorization", equalTo("Token " + UPSTREAM_KEY))
			.withQueryParam("token", equalTo(BASE_URL_SECRET)));

		upstream.stubFor(list().willReturn(aResponse().withStatus(401)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"detail\":\"Invalid token " + UPSTREAM_KEY + "\",\"request\":{\"headers\":{\"Authorization\":"
					+ "\"Token " + UPSTREAM_KEY + "\"},\"query\":\"token=" + BASE_URL_SECRET + "\"}}")));
		assertThat(sync("incremental").get("error").asString()).contains("answered 401: Invalid token [redacted]");

		upstream.stubFor(list().willReturn(aResponse().withStatus(500)
			.withBody("Internal error; request was Authorization: Token " + UPSTREAM_KEY + " api_key=" + PAYLOAD_SECRET
					+ " at " + upstream.baseUrl() + "/api/v1?token=" + BASE_URL_SECRET)));
		assertThat(sync("incremental").get("error").asString()).contains("answered 500", "gave up after 2 attempts");

		upstream.stubFor(list().willReturn(okJson("{\"items\":[{\"id\":\"x\",\"token\":\"" + PAYLOAD_SECRET + "\",")));
		assertThat(sync("incremental").get("error").asString()).contains("truncated or malformed body");

		upstream.stubFor(list().willReturn(okJson("PAYLOADSECRET3d9a7e51b8c2 is not JSON")));
		assertThat(sync("incremental").get("error").asString()).contains("truncated or malformed body");

		upstream.stubFor(list().willReturn(okJson("{\"items\":{\"api_key\":\"" + PAYLOAD_SECRET + "\",\"note\":\""
				+ PAYLOAD_SECRET + "\"},\"meta\":{\"has_next\":\"" + PAYLOAD_SECRET + "\"}}")));
		assertThat(sync("incremental").get("outcome").asString()).isIn("failed", "succeeded");
	}

	/** Reads of everything the API offers, with the key in either header. */
	private void apiRequests() throws Exception {
		JsonNode page = getJson("/api/v1/interactions?connection=" + CONNECTION + "&limit=1&includeTotal=true");
		assertThat(page.at("/page/total").asInt()).isEqualTo(2);
		JsonNode next = getJson("/api/v1/interactions?connection=" + CONNECTION + "&limit=1&cursor="
				+ page.at("/page/nextCursor").asString());
		for (JsonNode item : List.of(page.at("/items/0"), next.at("/items/0"))) {
			JsonNode detail = getJson("/api/v1/interactions/" + item.get("id").asString() + "?include=raw");
			assertThat(detail.at("/raw/token").asString()).as("the payload's secrets are redacted, not dropped")
				.isEqualTo("[redacted]");
		}
		getJson("/api/v1/interactions?q=hello");
		JsonNode sources = getJson("/api/v1/sources");
		assertThat(sources.findValuesAsString("baseUrl")).contains(upstream.baseUrl() + "/api/v1");
		JsonNode source = getJson("/api/v1/sources/" + CONNECTION);
		assertThat(source.get("baseUrl").asString()).as("no query, no user info")
			.isEqualTo(upstream.baseUrl() + "/api/v1");
		assertThat(source.get("lastError").asString()).isNotBlank();
		JsonNode rejects = getJson("/api/v1/sources/" + CONNECTION + "/rejects");
		assertThat(rejects.get("items")).hasSize(2);
		assertThat(rejects.findValuesAsString("reason"))
			.anySatisfy((reason) -> assertThat(reason).startsWith("not stored: PostgreSQL refused it (SQLSTATE"));
		JsonNode runs = getJson("/api/v1/sync-runs?connection=" + CONNECTION + "&limit=3");
		getJson("/api/v1/sync-runs?connection=" + CONNECTION + "&cursor=" + runs.at("/page/nextCursor").asString());
		for (JsonNode run : runs.get("items")) {
			getJson("/api/v1/sync-runs/" + run.get("id").asLong());
		}
		send("GET", "/v3/api-docs", null);
	}

	/**
	 * Every Actuator endpoint it lists, with the operate key, with everything exposed and
	 * every value shown; the secret properties asked for by name.
	 */
	private void actuatorRequests() throws Exception {
		JsonNode links = getJson("/actuator").get("_links");
		assertThat(links.has("env")).isTrue();
		assertThat(links.has("heapdump")).as("a heap dump holds every secret: never available").isFalse();
		for (Map.Entry<String, JsonNode> link : links.properties()) {
			String href = link.getValue().get("href").asString();
			if (!link.getValue().get("templated").asBoolean() && !href.endsWith("/shutdown")) {
				send("GET", URI.create(href).getRawPath(), API_KEY);
			}
		}
		for (String name : List.of("tributary.sources.hygiene.api-key", "tributary.sources.hygiene.base-url",
				"tributary.security.api-keys%5B0%5D.key", "tributary.api.cursor-secret")) {
			send("GET", "/actuator/env/" + name, API_KEY);
		}
		assertThat(getJson("/actuator/env/tributary.sources.hygiene.page-size").at("/property/value").asString())
			.as("values are shown: what hides the secrets is the sanitizing")
			.isEqualTo("10");
		assertThat(getJson("/actuator/env/tributary.sources.hygiene.api-key").at("/property/value").asString())
			.isEqualTo("******");
		assertThat(getJson("/actuator/configprops/tributary").findValues("apiKey")).isNotEmpty()
			.allSatisfy((value) -> assertThat((value.isObject() ? value.get("value") : value).asString())
				.isEqualTo("******"));
		assertThat(send("GET", "/actuator/prometheus", API_KEY).body()).as("upstream calls are measured, by path")
			.contains("http_client_requests_seconds_count{", "uri=\"/api/v1/interactions\"");
		send("GET", "/actuator/metrics/http.client.requests", API_KEY);
		send("GET", "/actuator/metrics/http.server.requests", API_KEY);
		assertThat(send("GET", "/actuator/heapdump", API_KEY).statusCode()).isEqualTo(404);
	}

	/** A wrong key, and keys where they do not belong, in both headers. */
	private void requestsWithWrongOrMisplacedKeys() throws Exception {
		for (String path : List.of("/api/v1/interactions", "/api/v1/sources/" + CONNECTION, "/actuator/env")) {
			assertThat(send("GET", path, WRONG_KEY).statusCode()).isEqualTo(401);
			HttpResponse<String> bearer = this.http.send(
					request("GET", path).header("Authorization", "Bearer " + WRONG_KEY).build(),
					HttpResponse.BodyHandlers.ofString());
			record("GET " + path, bearer);
			assertThat(bearer.statusCode()).isEqualTo(401);
		}
		assertThat(send("GET", "/api/v1/interactions?token=" + API_KEY, API_KEY).statusCode()).isEqualTo(400);
		assertThat(send("GET", "/api/v1/interactions?api_key=" + WRONG_KEY, API_KEY).statusCode()).isEqualTo(400);
		assertThat(send("GET", "/api/v1/sources/" + CONNECTION, null).statusCode()).isEqualTo(401);
	}

	private JsonNode sync(String mode) throws Exception {
		HttpResponse<String> started = send("POST", "/api/v1/sources/" + CONNECTION + "/sync?mode=" + mode, API_KEY);
		assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
		long id = this.json.readTree(started.body()).get("runId").asLong();
		return await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> getJson("/api/v1/sync-runs/" + id), (run) -> !"running".equals(run.get("outcome").asString()));
	}

	private JsonNode getJson(String path) throws Exception {
		HttpResponse<String> response = send("GET", path, API_KEY);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	/**
	 * Sends a request, alternating the key between the two headers, and records the
	 * answer.
	 */
	private HttpResponse<String> send(String method, String path, String key) throws Exception {
		HttpRequest.Builder request = request(method, path);
		if (key != null) {
			if (this.answers.size() % 2 == 0) {
				request.header("X-API-Key", key);
			}
			else {
				request.header("Authorization", "Bearer " + key);
			}
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		record(method + " " + path, response);
		assertThat(response.statusCode()).as(method + " " + path).isLessThan(500);
		return response;
	}

	private HttpRequest.Builder request(String method, String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(90));
	}

	/** Records an answer, named by method and path (the query may hold what was sent). */
	private void record(String request, HttpResponse<String> response) {
		request = request.replaceAll("\\?.*", "");
		String headers = response.headers()
			.map()
			.entrySet()
			.stream()
			.map((header) -> header.getKey() + ": " + String.join(", ", header.getValue()))
			.collect(Collectors.joining("\n"));
		this.answers.add(request + " -> " + response.statusCode() + "\n" + headers + "\n\n" + response.body());
	}

	/** Every row of every table of the schema, as text. */
	private Map<String, String> tables() {
		Map<String, String> tables = new LinkedHashMap<>();
		for (String table : this.jdbc
			.sql("SELECT table_name FROM information_schema.tables "
					+ "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")
			.query(String.class)
			.list()) {
			tables.put(table, String.join("\n",
					this.jdbc.sql("SELECT t::text FROM public.\"" + table + "\" t").query(String.class).list()));
		}
		return tables;
	}

	private static void assertNoSecret(String where, String text) {
		List<String> leaks = leaks(text);
		assertThat(leaks).as(() -> where + " shows " + leaks + ":\n" + context(text, leaks)).isEmpty();
	}

	/** The recognisable parts found in the text, also in its percent-decoded form. */
	private static List<String> leaks(String text) {
		String decoded = text.replace("%2D", "-").replace("%2d", "-");
		return RECOGNISABLE.stream().filter((secret) -> text.contains(secret) || decoded.contains(secret)).toList();
	}

	/** The lines that hold a leak, for the failure message. */
	private static String context(String text, List<String> leaks) {
		return text.lines()
			.filter((line) -> leaks.stream().anyMatch(line::contains))
			.limit(20)
			.map((line) -> (line.length() > 400) ? line.substring(0, 400) + "…" : line)
			.collect(Collectors.joining("\n"));
	}

	private static com.github.tomakehurst.wiremock.client.MappingBuilder list() {
		return get(urlPathEqualTo("/api/v1/interactions"));
	}

	/**
	 * A Flockx item carrying secrets where upstreams put them: fields named like secrets
	 * at the top, nested in metadata, and a callback URL with a token.
	 */
	private static String item(String id, String createdAt) {
		return "{\"id\":\"" + id + "\",\"created_at\":\"" + createdAt + "\",\"channel_id\":\"c\",\"token\":\""
				+ PAYLOAD_SECRET + "\",\"participant\":{\"type\":\"user\",\"user_id\":\"u\",\"api_key\":\""
				+ PAYLOAD_SECRET + "\"},\"content\":[{\"type\":\"text\",\"text\":\"hello\"}],"
				+ "\"content_role\":\"user_message\",\"complete\":true,\"metadata\":{\"note\":\"hi\","
				+ "\"authorization\":\"Bearer " + PAYLOAD_SECRET + "\",\"integration\":{\"access_token\":\""
				+ PAYLOAD_SECRET + "\",\"callback\":\"https://hooks.example.com/cb?token=" + PAYLOAD_SECRET + "\"}}}";
	}

}
