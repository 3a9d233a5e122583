package io.tributary.interaction;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.tributary.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static io.tributary.interaction.Interactions.interaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@IntegrationTest
class InteractionApiErrorTests {

	private static final String PATH = "/api/v1/interactions";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	private Api api;

	@BeforeEach
	void threeInteractions() {
		this.api = new Api(this.mvc, this.json);
		Interactions.deleteAll(this.jdbc);
		Instant t = Instant.parse("2026-11-01T00:00:00Z");
		this.writer.write(List.of(interaction("a", t).build(), interaction("b", t.plusSeconds(1)).build(),
				interaction("c", t.plusSeconds(2)).build()));
	}

	static Stream<Arguments> badParameters() {
		return Stream.of(arguments("sourc", "zylon", "sourc", "Did you mean 'source'?"),
				arguments("foo", "bar", "foo", "Unknown query parameter 'foo'"),
				arguments("source", "slack", "source", "allowed values: greenflash, zylon, flockx"),
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
				arguments("connection", " ", "connection", "must not be blank"),
				arguments("q", "", "q", "must not be blank"),
				arguments("cursor", "not-a-cursor", "cursor", "not a cursor issued by this API"),
				arguments("cursor", "", "cursor", "not a cursor issued by this API"));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("badParameters")
	void badParameterIsA400ProblemNamingIt(String parameter, String value, String named, String detail) {
		assertProblem(this.api.get(PATH, parameter, value), 400, named, detail);
	}

	@Test
	void createdFromAfterCreatedToIsRefused() {
		assertProblem(this.api.get(PATH, "createdFrom", "2026-11-02", "createdTo", "2026-11-01"), 400, "createdFrom",
				"is after 'createdTo'");
	}

	@Test
	void minRatingAboveMaxRatingIsRefused() {
		assertProblem(this.api.get(PATH, "minRating", "0.8", "maxRating", "0.2"), 400, "minRating",
				"greater than 'maxRating'");
	}

	@Test
	void tamperedCursorIsRefused() {
		String cursor = this.api.get(PATH, "limit", "1").body().get("page").get("nextCursor").asString();
		String tampered = cursor.substring(0, 4) + (cursor.charAt(4) == 'A' ? 'B' : 'A') + cursor.substring(5);

		assertProblem(this.api.get(PATH, "limit", "1", "cursor", tampered), 400, "cursor", "not a cursor issued");
	}

	@Test
	void cursorReusedWithOtherFiltersOrSortIsRefused() {
		String cursor = this.api.get(PATH, "limit", "1").body().get("page").get("nextCursor").asString();

		assertProblem(this.api.get(PATH, "limit", "1", "cursor", cursor, "source", "zylon"), 400, "cursor",
				"different sort or different filters");
		assertProblem(this.api.get(PATH, "limit", "1", "cursor", cursor, "sort", "-updatedAt"), 400, "cursor",
				"different sort or different filters");
		assertThat(this.api.get(PATH, "limit", "2", "cursor", cursor).status()).as("limit may change").isEqualTo(200);
	}

	@Test
	void malformedIdIsA400NamingIt() {
		assertProblem(this.api.get(PATH + "/not-a-uuid"), 400, "id", "must be a UUID");
	}

	@Test
	void unknownIdIsA404() {
		UUID id = UUID.randomUUID();
		assertProblem(this.api.get(PATH + "/" + id), 404, "id", "No interaction with id " + id);
	}

	@Test
	void unknownIncludeIsRefused() {
		String id = this.api.get(PATH).body().get("items").get(0).get("id").asString();
		assertProblem(this.api.get(PATH + "/" + id, "include", "everything"), 400, "include", "allowed values: raw");
		assertProblem(this.api.get(PATH + "/" + id, "expand", "raw"), 400, "expand", "Allowed: include");
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
