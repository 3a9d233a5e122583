package io.tributary.web;

import java.util.ArrayList;
import java.util.List;

import io.tributary.IntegrationTest;
import io.tributary.interaction.SourceNames;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

@IntegrationTest
class OpenApiDocumentTests {

	private static final List<String> LIST_PARAMETERS = List.of("source", "connection", "participantId",
			"externalParticipantId", "organizationId", "threadId", "productId", "model", "status", "createdFrom",
			"createdTo", "updatedSince", "minRating", "maxRating", "hasFeedback", "q", "sort", "limit", "cursor",
			"includeTotal", "includeDeleted");

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Autowired
	private SourceNames kinds;

	@Test
	void listOperationDescribesEveryParameterWithAnExample() throws Exception {
		JsonNode operation = document().at("/paths/~1api~1v1~1interactions/get");
		List<String> names = new ArrayList<>();
		for (JsonNode parameter : operation.get("parameters")) {
			names.add(parameter.get("name").asString());
			assertThat(parameter.get("in").asString()).isEqualTo("query");
			assertThat(parameter.path("description").asString()).as(parameter.get("name").asString()).isNotBlank();
			assertThat(parameter.has("example") || parameter.at("/schema/items").has("example"))
				.as(parameter.get("name").asString() + " example")
				.isTrue();
		}
		assertThat(names).containsExactlyInAnyOrderElementsOf(LIST_PARAMETERS);
	}

	@Test
	void enumsAndRangesAreInTheSchema() throws Exception {
		JsonNode parameters = document().at("/paths/~1api~1v1~1interactions/get/parameters");
		JsonNode limit = find(parameters, "limit").get("schema");
		assertThat(limit.get("minimum").asInt()).isEqualTo(1);
		assertThat(limit.get("maximum").asInt()).isEqualTo(200);
		assertThat(find(parameters, "sort").get("schema").get("enum").toString())
			.isEqualTo("[\"createdAt\",\"-createdAt\",\"updatedAt\",\"-updatedAt\"]");
		assertThat(
				find(parameters, "source").get("schema").get("items").get("enum").valueStream().map(JsonNode::asString))
			.as("the registered kinds")
			.containsExactlyElementsOf(this.kinds.names());
		JsonNode schemas = document().at("/components/schemas");
		assertThat(schemas.at("/InteractionSummary/properties/source/enum").valueStream().map(JsonNode::asString))
			.containsExactlyElementsOf(this.kinds.names());
		assertThat(schemas.at("/SourceStatus/properties/type/enum").valueStream().map(JsonNode::asString))
			.containsExactlyElementsOf(this.kinds.names());
	}

	@Test
	void responsesIncludePagesDetailAndProblems() throws Exception {
		JsonNode document = document();
		JsonNode list = document.at("/paths/~1api~1v1~1interactions/get/responses");
		assertThat(list.at("/200/content/application~1json/schema/$ref").asString()).endsWith("InteractionPage");
		assertThat(list.at("/400/content/application~1problem+json/schema/$ref").asString()).endsWith("ProblemDetail");
		JsonNode detail = document.at("/paths/~1api~1v1~1interactions~1{id}/get");
		assertThat(detail.at("/responses/404/content/application~1problem+json").isMissingNode()).isFalse();
		assertThat(find(detail.get("parameters"), "id").path("description").asString()).isNotBlank();
		JsonNode detailSchema = document.at("/components/schemas/InteractionDetail/properties");
		assertThat(detailSchema.has("messages")).isTrue();
		assertThat(detailSchema.has("sourceId")).as("summary fields are unwrapped into the detail").isTrue();
	}

	@Test
	void eachOperationDocumentsTheAnswersItCanGiveAndTheScopeItNeeds() throws Exception {
		JsonNode paths = document().get("paths");
		assertThat(paths.at("/~1api~1v1~1sources/get/responses").has("404")).as("the list names no connection")
			.isFalse();
		for (String operation : List.of("/~1api~1v1~1sources~1{connection}/get",
				"/~1api~1v1~1sources~1{connection}~1rejects/get", "/~1api~1v1~1sources~1{connection}~1sync/post")) {
			assertThat(paths.at(operation + "/responses").has("404")).as(operation).isTrue();
		}
		paths.forEachEntry((name, path) -> path.forEachEntry((method, operation) -> {
			// the keys' own API needs operate for reads too
			String scope = (method.equals("get") && !name.startsWith("/api/v1/api-keys")) ? "read" : "operate";
			assertThat(operation.get("description").asString()).as(operation.get("operationId").asString())
				.endsWith("Needs an API key with the " + scope + " scope.");
			assertThat(operation.at("/responses/403/description").asString()).contains("lacks the " + scope + " scope");
		}));
		JsonNode started = paths.at("/~1api~1v1~1sources~1{connection}~1sync/post/responses/202/headers");
		assertThat(started.at("/Location/schema/pattern").asString()).isEqualTo("^/api/v1/sync-runs/[0-9]+$");
		assertThat(document().at("/components/schemas/ProblemDetail/required").valueStream().map(JsonNode::asString))
			.as("a request refused before its path was read has no instance")
			.containsExactlyInAnyOrder("type", "title", "status", "detail");
	}

	@Test
	void everySchemaNameIsUniqueSoNoneHidesAnother() throws Exception {
		JsonNode schemas = document().at("/components/schemas");
		assertThat(schemas.at("/PageInfo/properties").has("total")).as("the interaction page keeps total").isTrue();
		assertThat(schemas.at("/RunPageInfo/properties").has("nextCursor")).isTrue();
		assertThat(schemas.has("Page")).isFalse();
	}

	@Test
	void swaggerUiIsServed() throws Exception {
		int status = this.mvc.perform(get("/swagger-ui/index.html")).andReturn().getResponse().getStatus();
		assertThat(status).isEqualTo(200);
	}

	private JsonNode document() throws Exception {
		return this.json.readTree(this.mvc.perform(get("/v3/api-docs")).andReturn().getResponse().getContentAsString());
	}

	private static JsonNode find(JsonNode parameters, String name) {
		for (JsonNode parameter : parameters) {
			if (parameter.get("name").asString().equals(name)) {
				return parameter;
			}
		}
		throw new AssertionError("No parameter " + name);
	}

}
