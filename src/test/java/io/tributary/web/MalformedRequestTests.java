package io.tributary.web;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.tributary.HttpEdgeTest;
import io.tributary.common.SignedCursors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Malformed requests over a real connection, where Tomcat, Spring Security's firewall and
 * Boot's error page see them before (or instead of) Spring MVC: each is a 4xx
 * {@code application/problem+json} document, naming the parameter where there is one,
 * never a 500, an HTML page, Boot's own error body or an empty body.
 */
@HttpEdgeTest
class MalformedRequestTests {

	private static final String KEY = "X-API-Key: " + HttpEdgeTest.KEY;

	private static final String INTERACTIONS = "/api/v1/interactions";

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private JsonMapper json;

	@Autowired
	private SignedCursors cursors;

	private RawHttp http;

	@BeforeEach
	void http() {
		this.http = new RawHttp(this.port);
	}

	/**
	 * method, target, extra header (or null), status, problem type, parameter (or null).
	 */
	static Stream<Arguments> malformedRequests() {
		String tooLong = "x".repeat(9000);
		return Stream.of(
				// refused by Tomcat before any filter: its error report valve answers
				arguments("GET", INTERACTIONS + "/%zz", null, 400, "bad-request", null),
				arguments("GET", INTERACTIONS + "/abc%", null, 400, "bad-request", null),
				arguments("GET", INTERACTIONS + "/%00", null, 400, "bad-request", null),
				arguments("GET", "/api/v1/sources/%00", null, 400, "bad-request", null),
				arguments("POST", "/api/v1/sources/%00/sync", null, 400, "bad-request", null),
				arguments("GET", "/api/v1/sync-runs/%00", null, 400, "bad-request", null),
				arguments("GET", INTERACTIONS + "/a%2Fb", null, 400, "bad-request", null),
				arguments("GET", "/api/v1/sources/a%5Cb", null, 400, "bad-request", null),
				arguments("GET", "/api/v1/sources/a\\b", null, 400, "bad-request", null),
				arguments("GET", INTERACTIONS + "?q=a b", null, 400, "bad-request", null),
				arguments("GET", INTERACTIONS + "?q=caf\u00e9", null, 400, "bad-request", null),
				arguments("GET", INTERACTIONS + "#fragment", null, 400, "bad-request", null),
				arguments("GET", "/actuator/health/%zz", null, 400, "bad-request", null),
				arguments("GET", INTERACTIONS + "?q=" + tooLong, null, 400, "bad-request", null),
				arguments("GET", INTERACTIONS, "X-Padding: " + tooLong, 400, "bad-request", null),
				arguments("GET", INTERACTIONS, "X-Thing: a\u0001b", 400, "bad-request", null),
				arguments("GET", INTERACTIONS, "X-Thing: a\u007fb", 400, "bad-request", null),
				arguments("GET", INTERACTIONS, "X-Th\u00e9ng: x", 400, "bad-request", null),
				arguments("GET", INTERACTIONS, "Authorization: Bearer a\u0001b", 400, "bad-request", null),
				// parameters Tomcat cannot read, named where it names them
				arguments("GET", INTERACTIONS + "?=x", null, 400, "invalid-parameter", ""),
				arguments("GET", INTERACTIONS + "?limit=5&=", null, 400, "invalid-parameter", ""),
				arguments("GET", INTERACTIONS + "?q=%E9t%E9", null, 400, "invalid-parameter", "q"),
				arguments("GET", "/api/v1/sync-runs?cursor=%zz", null, 400, "invalid-parameter", "cursor"),
				// control characters and overflows in path variables, which only a real
				// URL
				// carries undecoded
				arguments("GET", INTERACTIONS + "/%01", null, 400, "invalid-parameter", "id"),
				arguments("GET", INTERACTIONS + "/0b6f2d7e-8c1a-4f5e-9d3b-2a7c4e1f6a9%7F", null, 400,
						"invalid-parameter", "id"),
				arguments("GET", "/api/v1/sources/" + HttpEdgeTest.CONNECTION + "%7F", null, 400, "invalid-parameter",
						"connection"),
				arguments("POST", "/api/v1/sources/" + HttpEdgeTest.CONNECTION + "%C2%85/sync", null, 400,
						"invalid-parameter", "connection"),
				arguments("GET", "/api/v1/sources/%1F/rejects", null, 400, "invalid-parameter", "connection"),
				arguments("GET", "/api/v1/sync-runs/%01", null, 400, "invalid-parameter", "id"),
				arguments("GET", "/api/v1/sync-runs/9223372036854775808", null, 400, "invalid-parameter", "id"),
				arguments("GET", "/api/v1/sync-runs?connection=%00", null, 400, "invalid-parameter", "connection"),
				// found by the fuzz test: the status API's validated limits (a 500
				// through
				// the class-level @Validated proxy), a parameter given twice, a charset
				// the
				// JSON writer lacks (a 500), a method Tomcat does not implement (a 501)
				arguments("GET", "/api/v1/sync-runs?limit=0", null, 400, "invalid-parameter", "limit"),
				arguments("GET", "/api/v1/sources/" + HttpEdgeTest.CONNECTION + "/rejects?limit=201", null, 400,
						"invalid-parameter", "limit"),
				arguments("GET", "/api/v1/sync-runs?limit=ten&limit=eleven", null, 400, "invalid-parameter", "limit"),
				arguments("GET", "/api/v1/sources", "Accept: application/json;charset=utf-16", 406, "not-acceptable",
						null),
				arguments("GET", "/api/v1/sync-runs", "Accept: application/json; charset=ISO-8859-1", 406,
						"not-acceptable", null),
				arguments("CONNECT", INTERACTIONS, null, 400, "bad-request", null),
				arguments("CONNECT", "localhost:443", null, 400, "bad-request", null),
				arguments("POST", "/api/v1/sources/x;p=%%/sync", null, 400, "bad-request", null),
				arguments("GET", INTERACTIONS + ";a=%zz", null, 400, "bad-request", null),
				// refused by Spring Security's firewall
				arguments("GET", INTERACTIONS + "/a%25b", null, 400, "request-rejected", null),
				arguments("GET", INTERACTIONS + ";jsessionid=1", null, 400, "request-rejected", null),
				arguments("GET", "/api/v1//interactions", null, 400, "request-rejected", null),
				arguments("GET", INTERACTIONS + "/../sources", null, 400, "request-rejected", null),
				arguments("GET", INTERACTIONS + "/%2e%2e/sources", null, 400, "request-rejected", null),
				arguments("GET", INTERACTIONS, "X-Thing: a\u0085b", 400, "request-rejected", null),
				arguments("GET", INTERACTIONS, "Accept: application/json\u0085", 400, "request-rejected", null),
				arguments("GET", INTERACTIONS + "?a%00b=1", null, 400, "request-rejected", null),
				arguments("FOO", INTERACTIONS, null, 400, "request-rejected", null),
				arguments("get", INTERACTIONS, null, 400, "request-rejected", null),
				// methods, media types, the error page, Actuator
				arguments("TRACE", INTERACTIONS, null, 405, "method-not-allowed", null),
				arguments("DELETE", "/api/v1/sources/" + HttpEdgeTest.CONNECTION, null, 405, "method-not-allowed",
						null),
				arguments("GET", "/api/v1/sources/" + HttpEdgeTest.CONNECTION + "/sync", null, 405,
						"method-not-allowed", null),
				arguments("POST", "/actuator/health", null, 405, "method-not-allowed", null),
				arguments("GET", INTERACTIONS, "Accept: foo", 406, "not-acceptable", null),
				arguments("GET", "/api/v1/sync-runs/1", "Accept: */*;q=x", 406, "not-acceptable", null),
				arguments("GET", "/actuator/health", "Accept: application/xml", 406, "not-acceptable", null),
				arguments("GET", "/error", null, 404, "not-found", null),
				arguments("POST", "/error?x=1", null, 404, "not-found", null),
				arguments("GET", "/actuator/health/no-such-group", null, 404, "not-found", null),
				// Spring Boot's endpoint fails on this for callers who may see components
				arguments("GET", "/actuator/health/no-such-group/participant", null, 404, "not-found", null),
				arguments("GET", "/actuator/health/db/deeper", null, 404, "not-found", null),
				arguments("GET", "/actuator/health/readiness/nothing", null, 404, "not-found", null),
				arguments("GET", "/nothing/here", null, 404, "not-found", null));
	}

	@ParameterizedTest(name = "{0} {1} {2} -> {3}")
	@MethodSource("malformedRequests")
	void malformedRequestIsA4xxProblem(String method, String target, String header, int status, String type,
			String parameter) {
		List<String> headers = new ArrayList<>(List.of(KEY));
		if (header != null) {
			headers.add(header);
		}
		RawHttp.Response response = this.http.send(method, target, headers);
		JsonNode problem = assertProblem(response, status);
		assertThat(problem.get("type").asString()).isEqualTo("urn:tributary:problem:" + type);
		if (parameter != null) {
			assertThat(problem.get("parameter").asString()).isEqualTo(parameter);
		}
		if (status == 405) {
			assertThat(response.header("Allow")).isNotBlank();
		}
	}

	@Test
	void aMalformedKeyHeaderIsA4xxProblemThatDoesNotRepeatTheKey() {
		for (String header : List.of("X-API-Key: " + HttpEdgeTest.KEY + "\u0085", "X-API-Key: caf\u00e9-key",
				"X-API-Key: ", "Authorization: Bearer", "Authorization: Bearer    ",
				"Authorization: Basic Zm9vOmJhcg==", "X-API-Key: " + "k".repeat(6000))) {
			RawHttp.Response response = this.http.send("GET", INTERACTIONS, List.of(header));
			assertProblem(response, (response.status() == 400) ? 400 : 401);
			assertThat(response.body()).as(header).doesNotContain(HttpEdgeTest.KEY).doesNotContain("caf");
		}
	}

	@Test
	void aFormBodyWithABrokenEscapeIsA400NamingTheParameter() {
		RawHttp.Response response = this.http.send("POST", "/api/v1/sources/" + HttpEdgeTest.CONNECTION + "/sync",
				List.of(KEY, "Content-Type: application/x-www-form-urlencoded"), "mode=%zz");
		assertThat(assertProblem(response, 400).get("parameter").asString()).isEqualTo("mode");
	}

	/**
	 * Found by the fuzz test: Spring's form filter decodes PUT, PATCH and DELETE form
	 * bodies before Spring MVC; its failure reached the error page as a 500.
	 */
	@Test
	void aFormBodyAFilterCannotDecodeIsA400ProblemForTheRequestedPath() {
		for (String method : List.of("PUT", "PATCH", "DELETE")) {
			RawHttp.Response response = this.http.send(method, "/api/v1/sync-runs",
					List.of(KEY, "Content-Type: application/x-www-form-urlencoded"), "a=%t*");
			JsonNode problem = assertProblem(response, 400);
			assertThat(problem.get("detail").asString()).contains("body");
			assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/sync-runs");
		}
	}

	@Test
	void aMultipartBodyThatIsNotMultipartIsNo500() {
		RawHttp.Response response = this.http.send("POST", "/api/v1/sources/nope/sync",
				List.of(KEY, "Content-Type: multipart/form-data; boundary=xyz"), "--xyz\r\nbroken");
		assertProblem(response, response.status());
		assertThat(response.status()).isBetween(400, 499);
	}

	/**
	 * Cursors signed with the test secret whose fields are garbage: impossible for a
	 * client without the secret, but their decoding must still refuse them cleanly.
	 */
	@Test
	void signedCursorsWithGarbagePositionsAre400sNamingTheCursor() {
		for (String cursor : List.of(this.cursors.encode("sync-runs.v1", "not-a-number"),
				this.cursors.encode("sync-runs.v1", "99999999999999999999"),
				this.cursors.encode("sync-runs.v1", "1", "2"), this.cursors.encode("sync-runs.v1", ""),
				this.cursors.encode("rejects.v1", "42"), this.cursors.encode("interactions.v1", "42"))) {
			assertThat(assertProblem(get("/api/v1/sync-runs?cursor=" + cursor), 400).get("parameter").asString())
				.isEqualTo("cursor");
		}
		assertThat(
				get("/api/v1/sync-runs?cursor=" + this.cursors.encode("sync-runs.v1", "-9223372036854775808")).status())
			.isEqualTo(200);
		String rejects = "/api/v1/sources/" + HttpEdgeTest.CONNECTION + "/rejects?cursor=";
		assertThat(
				assertProblem(get(rejects + this.cursors.encode("rejects.v1", "1e5")), 400).get("parameter").asString())
			.isEqualTo("cursor");
		assertThat(get(rejects + this.cursors.encode("rejects.v1", "9223372036854775807")).status()).isEqualTo(200);
	}

	@Test
	void unsignedGarbledAndHugeCursorsAre400sNamingTheCursor() {
		String signed = this.cursors.encode("sync-runs.v1", "42");
		String payload = signed.substring(0, signed.indexOf('.'));
		for (String cursor : List.of("", "abc", "a.b", "a.b.c", ".", "..", "!!!.!!!", "%2B%2F%3D.%3D%3D", payload,
				payload + ".", payload + ".AAAAAAAAAAAAAAAAAAAAAA", signed.substring(0, signed.length() - 1),
				signed + "A", signed.replace('.', '-'), "QUFB".repeat(1500) + ".QUFB", "%F0%9F%98%80.%F0%9F%98%80")) {
			for (String path : List.of("/api/v1/sync-runs", INTERACTIONS,
					"/api/v1/sources/" + HttpEdgeTest.CONNECTION + "/rejects")) {
				JsonNode problem = assertProblem(get(path + "?cursor=" + cursor), 400);
				assertThat(problem.get("parameter").asString()).as(path + "?cursor=" + cursor).isEqualTo("cursor");
			}
		}
	}

	@Test
	void aHealthPathAnswersTheSameWhetherItsConnectionExistsOrNot() {
		for (List<String> headers : List.of(List.<String>of(), List.of("X-API-Key: " + HttpEdgeTest.READER))) {
			RawHttp.Response existing = this.http.send("GET", "/actuator/health/connections/" + HttpEdgeTest.CONNECTION,
					headers);
			RawHttp.Response missing = this.http.send("GET", "/actuator/health/connections/no-such-connection",
					headers);
			assertThat(existing.status()).as("a caller who may not see components: " + headers).isEqualTo(404);
			assertThat(missing.status()).isEqualTo(404);
			assertThat(existing.body().replace(HttpEdgeTest.CONNECTION, "X")).as("no oracle for connection names")
				.isEqualTo(missing.body().replace("no-such-connection", "X"));
		}
	}

	private RawHttp.Response get(String target) {
		return this.http.send("GET", target, List.of(KEY));
	}

	/**
	 * @return the problem document, after checking it is one, of this status, and shows
	 * no exception
	 */
	private JsonNode assertProblem(RawHttp.Response response, int status) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("java.").doesNotContain("at io.");
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.get("detail").asString()).isNotBlank();
		return problem;
	}

}
