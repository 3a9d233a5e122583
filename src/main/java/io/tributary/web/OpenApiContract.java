package io.tributary.web;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

/**
 * What the OpenAPI document promises beyond what each operation says of itself, applied
 * to the whole document in one place:
 * <ul>
 * <li>nulls: every field of a response record is required, and a field whose component is
 * {@code @Nullable} may be {@code null} ({@link OpenApiNulls});</li>
 * <li>security: the two ways to send a key, required by every operation under
 * {@code /api}, and the 401, 403 and 429 answers with their headers;</li>
 * <li>rate-limit headers on every 2xx and 4xx answer, {@code Retry-After} on every 429
 * and 503, and the 400, 500 and 503 problems every operation can give;</li>
 * <li>the content of every 4xx and 5xx answer: an {@code application/problem+json}
 * problem document (operations declare their own errors, such as a 404 or 409, by status
 * and description only);</li>
 * <li>limits on every string, integer and array, each true of what the gateway accepts
 * ({@link StrictParametersInterceptor} refuses longer or more repeated parameters) or
 * stores (PostgreSQL's own limits for responses);</li>
 * <li>a relative server, so the document works on whichever host serves it.</li>
 * </ul>
 */
final class OpenApiContract {

	/** Longest value of any query parameter or path segment the gateway accepts. */
	static final int MAX_PARAMETER_LENGTH = 1000;

	/** Most values one repeatable query parameter may carry. */
	static final int MAX_PARAMETER_VALUES = 20;

	/** PostgreSQL keeps at most 1 GB in one text value: no string answered is longer. */
	private static final int MAX_STORED_TEXT = 1_073_741_823;

	/** PostgreSQL's jsonb arrays hold at most 2^28 - 1 elements. */
	private static final int MAX_STORED_ARRAY = 268_435_455;

	static final String API_KEY_SCHEME = "apiKey";

	/**
	 * The keys' own API, which needs {@code operate} (on a key limited to no connections)
	 * for reads too.
	 */
	static final String KEYS_PATH = "/api/v1/api-keys";

	static final String BEARER_SCHEME = "bearer";

	private static final String PROBLEM = "ProblemDetail";

	private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

	private static final List<String> RATE_LIMIT_HEADERS = List.of("RateLimit-Limit", "RateLimit-Remaining",
			"RateLimit-Reset");

	private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

	private OpenApiContract() {
	}

	/**
	 * @param openApi the document springdoc built
	 * @param responseTypes the return types of the API's handler methods
	 */
	static void apply(OpenAPI openApi, Collection<Type> responseTypes) {
		Components components = (openApi.getComponents() != null) ? openApi.getComponents() : new Components();
		openApi.setComponents(components);
		openApi.setServers(List.of(new Server().url("/")
			.description("The gateway that served this document (local, staging or production)")
			.extensions(Map.of("x-internal", true))));
		problemSchema(components);
		OpenApiNulls.apply(components, responseTypes);
		security(openApi, components);
		headers(components);
		if (openApi.getPaths() != null) {
			openApi.getPaths().forEach(OpenApiContract::operations);
			openApi.getPaths()
				.values()
				.stream()
				.flatMap((path) -> path.readOperations().stream())
				.filter((operation) -> operation.getParameters() != null)
				.flatMap((operation) -> operation.getParameters().stream())
				.forEach(OpenApiContract::parameterLimits);
		}
		Set<Schema<?>> seen = new LinkedHashSet<>();
		if (components.getSchemas() != null) {
			components.getSchemas().values().forEach((schema) -> responseLimits(schema, seen));
		}
		if (openApi.getPaths() != null) {
			openApi.getPaths()
				.values()
				.stream()
				.flatMap((path) -> path.readOperations().stream())
				.flatMap((operation) -> operation.getResponses().values().stream())
				.filter((response) -> response.getContent() != null)
				.flatMap((response) -> response.getContent().values().stream())
				.forEach((media) -> responseLimits(media.getSchema(), seen));
		}
	}

	/**
	 * The problem document as the gateway writes it: RFC 9457 members, plus the offending
	 * parameter and, for several, each one's error.
	 */
	private static void problemSchema(Components components) {
		Schema<Object> problem = new JsonSchema().types(Set.of("object"))
			.description("An RFC 9457 problem document")
			.addProperty("type", string("A URI naming the kind of problem", 200).format("uri"))
			.addProperty("title", string("Short summary of the kind of problem", 200))
			.addProperty("status",
					new JsonSchema().types(Set.of("integer"))
						.format("int32")
						.minimum(BigDecimal.valueOf(400))
						.maximum(BigDecimal.valueOf(599)))
			.addProperty("detail", string("What went wrong and what is allowed", 10_000))
			.addProperty("instance", string(
					"The request path; left out when the request was refused before its path could be read (a broken percent-escape)",
					10_000)
				.format("uri-reference"))
			.addProperty("parameter", string("The offending query parameter or path variable", 1000))
			.addProperty("errors",
					new JsonSchema().types(Set.of("array"))
						.maxItems(1000)
						.description("Every offending parameter, when more than one is")
						.items(new JsonSchema().types(Set.of("object"))
							.addProperty("parameter", string("Parameter name", 1000))
							.addProperty("detail", string("What is wrong with it", 10_000))
							.required(List.of("parameter", "detail"))))
			.required(List.of("type", "title", "status", "detail"));
		// first among the schemas, where it stood when the controllers named it
		// themselves
		Map<String, Schema> schemas = new LinkedHashMap<>();
		schemas.put(PROBLEM, problem);
		if (components.getSchemas() != null) {
			components.getSchemas().forEach(schemas::putIfAbsent);
		}
		components.setSchemas(schemas);
	}

	private static Schema<Object> string(String description, int maxLength) {
		return new JsonSchema().types(Set.of("string")).description(description).maxLength(maxLength);
	}

	private static void security(OpenAPI openApi, Components components) {
		components.addSecuritySchemes(API_KEY_SCHEME, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
			.in(SecurityScheme.In.HEADER)
			.name("X-API-Key")
			.description("An API key: configured (tributary.security.api-keys) or made through /api/v1/api-keys. "
					+ "Scope read: every GET under /api; scope operate: sync triggers, Actuator beyond health "
					+ "and the keys' own API (on a key limited to no connections)."));
		components.addSecuritySchemes(BEARER_SCHEME,
				new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.description("The same API key, with the same scopes, as Authorization: Bearer <key>"));
		openApi.setSecurity(List.of(new SecurityRequirement().addList(API_KEY_SCHEME),
				new SecurityRequirement().addList(BEARER_SCHEME)));
	}

	private static void headers(Components components) {
		components.addHeaders("RateLimit-Limit", header("Requests this key may send per period", 1));
		components.addHeaders("RateLimit-Remaining", header("Requests left in the current period", 0));
		components.addHeaders("RateLimit-Reset", header("Seconds until the key's allowance is full again", 0));
		components.addHeaders("Retry-After", header("Seconds to wait before retrying", 1));
		components.addHeaders(ALLOW_ORIGIN, new Header().description(
				"Sent to browsers calling from an origin in tributary.security.cors.allowed-origins (none by default)")
			.schema(new JsonSchema().types(Set.of("string")).maxLength(1000)));
		components.addHeaders("WWW-Authenticate", new Header().description(
				"The challenge: Bearer realm=\"tributary\", with error=\"invalid_token\" for an unknown key or error=\"insufficient_scope\" and the scope needed")
			.schema(new JsonSchema().types(Set.of("string")).maxLength(1000)));
	}

	private static Header header(String description, int minimum) {
		return new Header().description(description)
			.schema(new JsonSchema().types(Set.of("integer"))
				.format("int64")
				.minimum(BigDecimal.valueOf(minimum))
				.maximum(BigDecimal.valueOf(Long.MAX_VALUE)));
	}

	private static void operations(String path, PathItem item) {
		for (Map.Entry<PathItem.HttpMethod, Operation> method : item.readOperationsMap().entrySet()) {
			Operation operation = method.getValue();
			ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
			if (path.startsWith("/api/")) {
				String scope = scope(path, method.getKey());
				String needs = "Needs an API key with the " + scope + " scope.";
				String description = (operation.getDescription() != null) ? operation.getDescription() : "";
				if (!description.endsWith(needs)) {
					operation.setDescription(description.isEmpty() ? needs : description + " " + needs);
				}
				responses.putIfAbsent("400", problem("A parameter is unknown, malformed or out of range"));
				responses.putIfAbsent("401",
						problem("No API key, or one that is not configured").headers(headerRefs("WWW-Authenticate")));
				responses.putIfAbsent("403",
						problem("The key lacks the " + scope
								+ " scope this operation needs, or a browser called from an origin that is not allowed")
							.headers(headerRefs("WWW-Authenticate")));
				responses.putIfAbsent("429", problem("The key sent more requests than its rate limit allows")
					.headers(headerRefs("Retry-After")));
				responses.putIfAbsent("500", problem("An internal error; it has been logged"));
				responses.putIfAbsent("503", problem("The database could not answer in time: a query ran past the "
						+ "statement timeout (tributary.api.statement-timeout), or no connection came free; narrow the "
						+ "filters or retry after Retry-After"));
			}
			ApiResponses sorted = new ApiResponses();
			responses.entrySet()
				.stream()
				.sorted(Comparator.comparing(Map.Entry::getKey))
				.forEach((entry) -> sorted.addApiResponse(entry.getKey(), entry.getValue()));
			for (Map.Entry<String, ApiResponse> entry : sorted.entrySet()) {
				if (path.startsWith("/api/")) {
					Map<String, Header> headers = new LinkedHashMap<>(
							(entry.getValue().getHeaders() != null) ? entry.getValue().getHeaders() : Map.of());
					if (entry.getKey().startsWith("2") || entry.getKey().startsWith("4")) {
						RATE_LIMIT_HEADERS.forEach((name) -> headers.putIfAbsent(name, headerRef(name)));
					}
					if (entry.getKey().equals("429") || entry.getKey().equals("503")) {
						headers.putIfAbsent("Retry-After", headerRef("Retry-After"));
					}
					headers.putIfAbsent(ALLOW_ORIGIN, headerRef(ALLOW_ORIGIN));
					entry.getValue().setHeaders(headers);
				}
				problemContent(entry.getKey(), entry.getValue());
			}
			operation.setResponses(sorted);
		}
	}

	/**
	 * The scope a key needs for an operation of the API, as the security filters decide
	 * it: {@code read} for reads but those of the keys' own API, {@code operate} for
	 * everything else.
	 */
	static String scope(String path, PathItem.HttpMethod method) {
		boolean read = method == PathItem.HttpMethod.GET || method == PathItem.HttpMethod.HEAD;
		return (read && !path.startsWith(KEYS_PATH)) ? "read" : "operate";
	}

	/**
	 * Errors are problem documents, referring to the one problem schema: an operation
	 * declares an error answer with its status and description only, and gets its content
	 * here.
	 */
	private static void problemContent(String status, ApiResponse response) {
		if (status.startsWith("4") || status.startsWith("5")) {
			response.setContent(new Content().addMediaType(Problems.MEDIA_TYPE,
					new MediaType().schema(new JsonSchema().$ref(PROBLEM_REF))));
		}
	}

	private static ApiResponse problem(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(Problems.MEDIA_TYPE,
					new MediaType().schema(new JsonSchema().$ref(PROBLEM_REF))));
	}

	private static Map<String, Header> headerRefs(String... names) {
		Map<String, Header> headers = new LinkedHashMap<>();
		for (String name : names) {
			headers.put(name, headerRef(name));
		}
		return headers;
	}

	private static Header headerRef(String name) {
		return new Header().$ref("#/components/headers/" + name);
	}

	/**
	 * Limits the gateway enforces on parameters (see
	 * {@link StrictParametersInterceptor}).
	 */
	private static void parameterLimits(Parameter parameter) {
		Schema<?> schema = parameter.getSchema();
		if (schema == null) {
			return;
		}
		if (isType(schema, "array")) {
			if (schema.getMaxItems() == null) {
				schema.setMaxItems(MAX_PARAMETER_VALUES);
			}
			schema = schema.getItems();
		}
		if (schema != null) {
			limits(schema, MAX_PARAMETER_LENGTH);
		}
	}

	/** Limits true of every answer: what PostgreSQL and Java can hold. */
	private static void responseLimits(Schema<?> schema, Set<Schema<?>> seen) {
		if (schema == null || !seen.add(schema)) {
			return;
		}
		limits(schema, MAX_STORED_TEXT);
		if (isType(schema, "array") && schema.getMaxItems() == null) {
			schema.setMaxItems(MAX_STORED_ARRAY);
		}
		responseLimits(schema.getItems(), seen);
		if (schema.getAdditionalProperties() instanceof Schema<?> values) {
			responseLimits(values, seen);
		}
		if (schema.getProperties() != null) {
			schema.getProperties().values().forEach((property) -> responseLimits(property, seen));
		}
		for (List<Schema> alternatives : java.util.Arrays.asList(schema.getOneOf(), schema.getAnyOf(),
				schema.getAllOf())) {
			if (alternatives != null) {
				alternatives.forEach((alternative) -> responseLimits(alternative, seen));
			}
		}
	}

	private static void limits(Schema<?> schema, int maxLength) {
		if (isType(schema, "string") && schema.getMaxLength() == null && schema.getEnum() == null
				&& schema.getConst() == null) {
			schema.setMaxLength(maxLength);
		}
		if (isType(schema, "integer")) {
			boolean int32 = "int32".equals(schema.getFormat());
			if (schema.getMinimum() == null && schema.getExclusiveMinimumValue() == null) {
				schema.setMinimum(BigDecimal.valueOf(int32 ? Integer.MIN_VALUE : Long.MIN_VALUE));
			}
			if (schema.getMaximum() == null && schema.getExclusiveMaximumValue() == null) {
				schema.setMaximum(BigDecimal.valueOf(int32 ? Integer.MAX_VALUE : Long.MAX_VALUE));
			}
		}
	}

	private static boolean isType(Schema<?> schema, String type) {
		return type.equals(schema.getType()) || (schema.getTypes() != null && schema.getTypes().contains(type));
	}

}
