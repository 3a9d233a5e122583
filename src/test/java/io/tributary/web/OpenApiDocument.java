package io.tributary.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document the gateway serves, read as a contract: its operations, the
 * {@code Accept} headers generated clients derive from them, and whether an answer is one
 * the document allows (a documented status and media type, and a body valid against the
 * schema, as JSON Schema 2020-12 with formats asserted).
 */
final class OpenApiDocument {

	private final JsonNode document;

	private final JsonMapper json;

	private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
			(builder) -> builder
				.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

	OpenApiDocument(JsonNode document, JsonMapper json) {
		this.document = document;
		this.json = json;
	}

	JsonNode root() {
		return this.document;
	}

	/**
	 * @return every operation: path template, method and the operation object
	 */
	List<Operation> operations() {
		List<Operation> operations = new ArrayList<>();
		this.document.get("paths")
			.forEachEntry((path, item) -> item.forEachEntry((method, operation) -> operations
				.add(new Operation(path, method.toUpperCase(java.util.Locale.ROOT), operation))));
		return operations;
	}

	Operation operation(String operationId) {
		return operations().stream()
			.filter((operation) -> operationId.equals(operation.id()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("The document has no operation " + operationId));
	}

	/**
	 * The {@code Accept} headers openapi-generator 7.x clients send for an operation
	 * (checked on generated code): Python the first media type of the operation's
	 * answers, in document order, that names JSON; typescript-axios all of them, joined;
	 * typescript-fetch none; the newer typescript generator
	 * {@code application/json, *}{@code /*;q=0.8}. Also each documented type alone. An
	 * empty string means no {@code Accept} header.
	 * @param operationId the operation
	 * @return the headers, without repeats
	 */
	List<String> generatedAccepts(String operationId) {
		Set<String> types = new LinkedHashSet<>();
		operation(operationId).node()
			.get("responses")
			.forEach((response) -> types.addAll(response.path("content").propertyNames()));
		Set<String> accepts = new LinkedHashSet<>();
		types.stream()
			.filter((type) -> type.toLowerCase(java.util.Locale.ROOT).contains("json"))
			.findFirst()
			.ifPresent(accepts::add);
		accepts.add(String.join(",", types));
		accepts.add("");
		accepts.add("application/json, */*;q=0.8");
		accepts.addAll(types);
		return List.copyOf(accepts);
	}

	/**
	 * @param operationId the operation that answered
	 * @param status the status
	 * @param contentType the answer's {@code Content-Type}
	 * @param body the answer's body
	 * @return what the document does not allow in the answer; empty when it is a
	 * documented one
	 */
	List<String> violations(String operationId, int status, String contentType, String body) {
		return violations(operationId, status, contentType, body, (name) -> null);
	}

	/**
	 * @param operationId the operation that answered
	 * @param status the status
	 * @param contentType the answer's {@code Content-Type}
	 * @param body the answer's body
	 * @param headers the answer's header values by name (null when absent)
	 * @return what the document does not allow in the answer, its documented headers
	 * included; empty when it is a documented one
	 */
	List<String> violations(String operationId, int status, String contentType, String body,
			java.util.function.Function<String, String> headers) {
		JsonNode response = resolve(operation(operationId).node().path("responses").path(Integer.toString(status)));
		if (response.isMissingNode()) {
			return List.of("status " + status + " is not documented for " + operationId);
		}
		String mediaType = (contentType != null) ? contentType.split(";")[0].trim() : "";
		JsonNode schema = response.path("content").path(mediaType).path("schema");
		if (schema.isMissingNode()) {
			return List.of("media type '" + mediaType + "' is not documented for " + operationId + " " + status
					+ " (documented: " + response.path("content").propertyNames() + ")");
		}
		List<String> violations = new ArrayList<>();
		if (mediaType.equals("application/x-ndjson")) {
			// a stream of documents, one per line: each must be what the schema says
			body.lines()
				.filter((line) -> !line.isEmpty())
				.forEach((line) -> errors(schema, this.json.readTree(line))
					.forEach((error) -> violations.add("line: " + error)));
		}
		else if (!mediaType.startsWith("text/")) {
			errors(schema, this.json.readTree(body)).forEach((error) -> violations.add("body: " + error));
		}
		response.path("headers").forEachEntry((name, header) -> {
			String value = headers.apply(name);
			JsonNode headerSchema = resolve(header).path("schema");
			if (value != null && !headerSchema.isMissingNode()) {
				JsonNode typed = headerSchema.path("type").asString("").equals("integer")
						&& value.matches("-?\\d{1,19}")
								? this.json.getNodeFactory().numberNode(new java.math.BigInteger(value))
								: this.json.getNodeFactory().stringNode(value);
				errors(headerSchema, typed).forEach((error) -> violations.add("header " + name + ": " + error));
			}
		});
		return violations;
	}

	/**
	 * @param schema a schema of the document, whose references reach its components
	 * @param body a body
	 * @return where the body breaks the schema
	 */
	List<Error> errors(JsonNode schema, JsonNode body) {
		ObjectNode root = this.json.createObjectNode();
		root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
		root.set("components", this.document.get("components"));
		root.putObject("$defs").set("answer", schema);
		root.put("$ref", "#/$defs/answer");
		return this.schemas.getSchema(root).validate(body);
	}

	/** A response object, or the component it refers to. */
	private JsonNode resolve(JsonNode node) {
		String ref = node.path("$ref").asString("");
		return ref.startsWith("#/") ? this.document.at(ref.substring(1)) : node;
	}

	/**
	 * One operation of the document.
	 *
	 * @param path the path template
	 * @param method the method, upper case
	 * @param node the operation object
	 */
	record Operation(String path, String method, JsonNode node) {

		String id() {
			return this.node.path("operationId").asString();
		}

		List<JsonNode> parameters() {
			List<JsonNode> parameters = new ArrayList<>();
			this.node.path("parameters").forEach(parameters::add);
			return parameters;
		}

	}

}
