package io.tributary.interaction;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.tributary.common.InvalidParameter;
import io.tributary.security.WithApiSecurity;
import io.tributary.source.Connections;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * The interaction endpoints' parameter handling, without a database: every malformed or
 * unknown parameter is a 400 problem naming it before anything is read, and the domain's
 * refusals become problems with the right status.
 */
@WebMvcTest(controllers = InteractionController.class,
		properties = "tributary.security.rate-limit.requests=1000000" /*
																		 * hundreds of
																		 * requests a
																		 * second
																		 */)
@WithApiSecurity
class InteractionParameterTests {

	private static final String PATH = "/api/v1/interactions";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@MockitoBean
	private InteractionQuery query;

	@MockitoBean
	private InteractionStats stats;

	@MockitoBean
	private InteractionExport export;

	@MockitoBean
	private Connections connections;

	private Api api;

	@BeforeEach
	void api() {
		this.api = new Api(this.mvc, this.json);
		given(this.query.pageJson(any())).willReturn(emptyPage());
	}

	/** An empty page as the list writes it. */
	private InteractionQuery.Json emptyPage() {
		InteractionPage page = new InteractionPage(List.of(), new InteractionPage.PageInfo(50, null, false, null, null),
				new io.tributary.common.DataFreshness(false, List.of()));
		return new InteractionQuery.Json(this.json.writeValueAsBytes(page), ETags.of(page));
	}

	@Test
	void filtersBindFromTheQueryStringAloneWithEveryValueConverted() {
		ArgumentCaptor<InteractionFilter> filter = ArgumentCaptor.forClass(InteractionFilter.class);
		given(this.query.pageJson(filter.capture())).willReturn(emptyPage());

		var response = this.api.perform(get(PATH).queryParam("source", "zylon")
			.queryParam("status", "completed", "error")
			.queryParam("createdFrom", "2026-11-01")
			.queryParam("minRating", "0.5")
			.queryParam("limit", "7")
			.queryParam("sort", "updatedAt")
			.header("model", "gpt-4o")
			.header("Includetotal", "true"));

		assertThat(response.status()).isEqualTo(200);
		InteractionFilter bound = filter.getValue();
		assertThat(bound.source()).containsExactly("zylon");
		assertThat(bound.status()).containsExactly(InteractionStatus.COMPLETED, InteractionStatus.ERROR);
		assertThat(bound.createdFrom()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
		assertThat(bound.minRating()).isEqualTo(0.5);
		assertThat(bound.limit()).isEqualTo(7);
		assertThat(bound.sort()).isEqualTo(InteractionSort.UPDATED_AT_ASC);
		assertThat(bound.model()).as("a header named like a parameter does not bind").isNull();
		assertThat(bound.includeTotal()).isNull();
	}

	static Stream<Arguments> badParameters() {
		return Stream.of(arguments("sourc", "zylon", "sourc", "Did you mean 'source'?"),
				arguments("foo", "bar", "foo", "Unknown query parameter 'foo'"),
				arguments("status", "done", "status", "allowed values: completed, in_progress, error"),
				arguments("sort", "newest", "sort", "allowed values: createdAt, -createdAt, updatedAt, -updatedAt"),
				arguments("createdFrom", "yesterday", "createdFrom", "is not a date-time"),
				arguments("createdTo", "2026-13-01", "createdTo", "is not a date-time"),
				arguments("updatedSince", "2026-11-01T25:00:00Z", "updatedSince", "is not a date-time"),
				arguments("limit", "0", "limit", "greater than or equal to 1"),
				arguments("limit", "201", "limit", "less than or equal to 200"),
				arguments("limit", "ten", "limit", "must be a number"),
				arguments("minRating", "1.5", "minRating", "less than or equal to 1"),
				arguments("maxRating", "-0.1", "maxRating", "greater than or equal to 0"),
				arguments("hasFeedback", "maybe", "hasFeedback", "true or false"),
				arguments("includeTotal", "yes please", "includeTotal", "exact, estimated, true, false"),
				arguments("includeDeleted", "sometimes", "includeDeleted", "true or false"),
				arguments("connection", " ", "connection", "must not be blank"),
				arguments("q", "", "q", "must not be blank"),
				arguments("q", "a\u0000b", "q", "control character U+0000"),
				arguments("connection", "zylon\u0000", "connection", "control character U+0000"),
				arguments("include", "everything", "include", "allowed values: raw"),
				arguments("expand", "raw", "expand", "Allowed: include"));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("badParameters")
	void badParameterIsA400ProblemNamingIt(String parameter, String value, String named, String detail) {
		String path = parameter.equals("include") || parameter.equals("expand") ? PATH + "/" + UUID.randomUUID() : PATH;
		assertProblem(this.api.get(path, parameter, value), 400, named, detail);
		verifyNoInteractions(this.query);
	}

	@Test
	void theDomainsRefusalsBecomeProblemsNamingTheParameter() {
		UUID id = UUID.randomUUID();
		given(this.query.detail(any(), anyBoolean())).willThrow(new InteractionNotFound(id));
		given(this.query.pageJson(any())).willThrow(new InvalidParameter("cursor", "Parameter 'cursor' is not ours"));

		assertProblem(this.api.get(PATH + "/" + id), 404, "id", "No interaction with id " + id);
		assertProblem(this.api.get(PATH, "cursor", "x"), 400, "cursor", "is not ours");
	}

	@Test
	void malformedIdIsA400NamingIt() {
		assertProblem(this.api.get(PATH + "/not-a-uuid"), 400, "id", "must be a UUID");
	}

	@Test
	void unknownPathIsA404Problem() {
		var response = this.api.get("/api/v1/nothing-here");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
	}

	/**
	 * Every parameter of both endpoints, with a value that is valid but for the
	 * character.
	 */
	static Stream<Arguments> controlCharacters() {
		Stream<String[]> parameters = Stream.of(new String[] { "q", "refund" }, new String[] { "source", "zylon" },
				new String[] { "status", "completed" }, new String[] { "sort", "createdAt" },
				new String[] { "cursor", "MXwt.c2ln" }, new String[] { "connection", "zylon-prod" },
				new String[] { "participantId", "p-1" }, new String[] { "model", "gpt-4o" },
				new String[] { "createdFrom", "2026-11-01" }, new String[] { "updatedSince", "2026-11-01" },
				new String[] { "minRating", "0.5" }, new String[] { "limit", "10" },
				new String[] { "hasFeedback", "true" }, new String[] { "includeTotal", "true" });
		return parameters.flatMap((parameter) -> Stream.of("\u0000", "\u0001", "\u001f", "\u007f", "\u0085")
			.map((control) -> arguments(parameter[0],
					parameter[1].substring(0, 1) + control + parameter[1].substring(1),
					String.format("U+%04X", (int) control.charAt(0)))));
	}

	@ParameterizedTest(name = "{0} with {2}")
	@MethodSource("controlCharacters")
	void controlCharacterInAnyParameterIsA400NamingIt(String parameter, String value, String character) {
		assertProblem(this.api.get(PATH, parameter, value), 400, parameter, "control character " + character);
		verifyNoInteractions(this.query);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("controlCharacters")
	void controlCharacterInAPathVariableIsA400NamingIt(String ignored, String value, String character) {
		if (character.equals("U+0000")) {
			// an encoded NUL in the path is refused by the firewall (over HTTP, by
			// Tomcat)
			var response = this.api.perform(get(PATH + "/{id}", value));
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.body().get("type").asString()).isEqualTo("urn:tributary:problem:request-rejected");
			return;
		}
		assertProblem(this.api.perform(get(PATH + "/{id}", value)), 400, "id", "control character " + character);
		assertProblem(
				this.api
					.perform(get(PATH + "/{id}", UUID.randomUUID() + value.substring(1, 2)).param("include", "raw")),
				400, "id", "control character " + character);
		verifyNoInteractions(this.query);
	}

	static Stream<Arguments> datesOutOfRange() {
		return Stream.of(arguments("createdFrom", "+300000-01-01T00:00:00Z", "out of range"),
				arguments("createdFrom", "-0001-01-01", "out of range"),
				arguments("createdFrom", "0000-12-31", "out of range"),
				arguments("createdTo", "10000-01-01", "is not a date-time"),
				arguments("createdTo", "+10000-01-01T00:00:00Z", "out of range"),
				arguments("createdTo", "9999-12-31T23:00:00-05:00", "out of range"),
				arguments("updatedSince", "0001-01-01T00:30:00+01:00", "out of range"),
				arguments("updatedSince", "-999999999-01-01T00:00:00Z", "out of range"),
				arguments("updatedSince", "+999999999-12-31T23:59:59.999999999Z", "out of range"),
				arguments("updatedSince", "+1000000000-01-01T00:00:00Z", "is not a date-time"));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("datesOutOfRange")
	void datesOutsideTheYears0001To9999AreA400NamingTheParameter(String parameter, String value, String detail) {
		assertProblem(this.api.get(PATH, parameter, value), 400, parameter, detail);
		verifyNoInteractions(this.query);
	}

	@Test
	void theFirstAndLastInstantsOfTheRangeAreAccepted() {
		assertThat(this.api.get(PATH, "createdFrom", "0001-01-01", "createdTo", "9999-12-31T23:59:59.999Z").status())
			.isEqualTo(200);
	}

	static Stream<Arguments> overflowingNumbers() {
		return Stream.of(arguments("limit", "99999999999999999999", "must be a number"),
				arguments("limit", "2147483648", "must be a number"),
				arguments("limit", "-2147483649", "must be a number"), arguments("limit", "1e3", "must be a number"),
				arguments("minRating", "1e400", "less than or equal to 1"),
				arguments("minRating", "NaN", "(was 'NaN')"), arguments("maxRating", "NaN", "(was 'NaN')"),
				arguments("minRating", "Infinity", "less than or equal to 1"),
				arguments("maxRating", "-Infinity", "greater than or equal to 0"));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("overflowingNumbers")
	void numbersThatOverflowOrAreNoNumberAreA400NamingTheParameter(String parameter, String value, String detail) {
		assertProblem(this.api.get(PATH, parameter, value), 400, parameter, detail);
		verifyNoInteractions(this.query);
	}

	@Test
	void repeatedParametersWithAnEmptyValueAreA400NamingThem() {
		assertProblem(this.api.get(PATH, "status", "completed", "status", ""), 400, "status", "must not be empty");
		assertProblem(this.api.get(PATH, "status", "", "status", "error"), 400, "status", "must not be empty");
		verifyNoInteractions(this.query);
	}

	@Test
	void aParameterWithoutANameIsA400() {
		assertProblem(this.api.get(PATH, "", "x"), 400, "", "Unknown query parameter ''");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "DELETE", "PUT", "PATCH", "POST" })
	void otherMethodsAre405ProblemsWithAllow(String method) {
		var response = this.api.perform(request(HttpMethod.valueOf(method), PATH));
		assertThat(response.status()).isEqualTo(405);
		assertThat(response.allow()).contains("GET");
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.body().get("type").asString()).isEqualTo("urn:tributary:problem:method-not-allowed");
		assertThat(response.body().get("detail").asString()).contains(method);
	}

	@ParameterizedTest(name = "Accept: {0}")
	@ValueSource(strings = { "application/xml", "text/html", "image/png", "foo", "*/*;q=x", "application/json;q=zz",
			"text/" })
	void unsupportedOrMalformedAcceptIsA406Problem(String accept) {
		for (String path : List.of(PATH, PATH + "?limit=0", PATH + "/" + UUID.randomUUID(), PATH + "/not-a-uuid")) {
			var response = this.api.perform(get(path).header(HttpHeaders.ACCEPT, accept));
			assertThat(response.status()).as(path).isEqualTo(406);
			assertThat(response.contentType()).as(path).isEqualTo("application/problem+json");
			assertThat(response.body().get("type").asString()).isEqualTo("urn:tributary:problem:not-acceptable");
		}
		verifyNoInteractions(this.query);
	}

	@Test
	void aBadParameterIsStillAProblemWhenTheClientAcceptsOnlyHtmlOrAnything() {
		for (String accept : List.of("text/html;q=0.9, */*;q=0.1", "*/*")) {
			assertProblem(this.api.perform(get(PATH).param("limit", "0").header(HttpHeaders.ACCEPT, accept)), 400,
					"limit", "greater than or equal to 1");
		}
	}

	@Test
	void aParameterGivenTwiceIsShownWithBothValues() {
		var response = this.api.get(PATH + "/" + UUID.randomUUID(), "include", "raw", "include", "everything");
		assertProblem(response, 400, "include", "allowed values: raw");
		response = this.api.get(PATH, "limit", "ten", "limit", "eleven");
		assertProblem(response, 400, "limit", "(was 'ten', 'eleven')");
	}

	@Test
	void anAcceptedCharsetTheJsonWriterLacksIsA406Problem() {
		given(this.query.pageJson(any())).willReturn(emptyPage());
		for (String accept : List.of("application/json;charset=utf-16", "application/json; charset=\"ISO-8859-1\"")) {
			var response = this.api.perform(get(PATH).header(HttpHeaders.ACCEPT, accept));
			assertThat(response.status()).as(accept).isEqualTo(406);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
			assertThat(response.body().get("detail").asString()).contains("UTF-8");
		}
		assertThat(this.api.perform(get(PATH).header(HttpHeaders.ACCEPT, "application/json;charset=UTF-8")).status())
			.isEqualTo(200);
	}

	static Stream<Arguments> firewalledRequests() {
		return Stream.of(arguments(get(URI.create(PATH + "/a%25b")), "URL"),
				arguments(get(URI.create("/api/v1//interactions")), "URL"),
				arguments(get(URI.create(PATH + ";jsessionid=1")), "URL"),
				arguments(get(URI.create(PATH + "/../sources")), "URL"),
				arguments(get(URI.create(PATH + "/%2e%2e/sources")), "URL"),
				arguments(get(PATH).header("X-Anything", "a\u0085b"), "header"),
				arguments(get(PATH).header(HttpHeaders.ACCEPT, "application/json\u0085"), "header"),
				arguments(get(PATH).header("X-API-Key", "test-key\u0085"), "header"),
				arguments(get(PATH).param("a\u0000b", "1"), "parameter name"),
				arguments(request(HttpMethod.valueOf("FOO"), URI.create(PATH)), "method"));
	}

	@ParameterizedTest(name = "{1}: {0}")
	@MethodSource("firewalledRequests")
	void requestsTheFirewallRefusesAre400Problems(MockHttpServletRequestBuilder request, String what) {
		var response = this.api.perform(request);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body().get("type").asString()).isEqualTo("urn:tributary:problem:request-rejected");
		assertThat(response.body().get("detail").asString()).contains(what);
		assertThat(response.body().toString()).doesNotContain("Exception").doesNotContain("test-key");
		verifyNoInteractions(this.query);
	}

	private static void assertProblem(Api.Response response, int status, String parameter, String detail) {
		assertThat(response.status()).isEqualTo(status);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.body().get("status").asInt()).isEqualTo(status);
		assertThat(response.body().get("parameter").asString()).isEqualTo(parameter);
		assertThat(response.body().get("detail").asString()).contains(detail);
		assertThat(response.body().get("type").asString()).startsWith("urn:tributary:problem:");
		assertThat(response.body().toString()).doesNotContain("Exception").doesNotContain("\tat ");
	}

}
