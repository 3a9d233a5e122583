package io.tributary.interaction;

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
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The interaction endpoints' parameter handling, without a database: every malformed or
 * unknown parameter is a 400 problem naming it before anything is read, and the domain's
 * refusals become problems with the right status.
 */
@WebMvcTest(InteractionController.class)
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
	private Connections connections;

	private Api api;

	@BeforeEach
	void api() {
		this.api = new Api(this.mvc, this.json);
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
				arguments("includeTotal", "yes please", "includeTotal", "true or false"),
				arguments("includeDeleted", "sometimes", "includeDeleted", "true or false"),
				arguments("connection", " ", "connection", "must not be blank"),
				arguments("q", "", "q", "must not be blank"),
				arguments("q", "a\u0000b", "q", "must not be blank or contain NUL characters"),
				arguments("connection", "zylon\u0000", "connection", "contain NUL characters"),
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
		given(this.query.page(any())).willThrow(new InvalidParameter("cursor", "Parameter 'cursor' is not ours"));

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
