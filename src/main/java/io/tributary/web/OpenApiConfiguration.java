package io.tributary.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.tributary.interaction.SourceNames;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springdoc.core.customizers.OperationCustomizer;
import io.tributary.common.NotParameters;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document's header, and the registered source kinds wherever the document
 * names one; the operations describe themselves.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI tributaryOpenApi() {
		return new OpenAPI().info(new Info().title("Tributary")
			.contact(new Contact().name("Tributary maintainers"))
			.version("v1")
			.description("One API over the AI interactions logged in the connected upstreams. "
					+ "Errors are RFC 9457 problem documents that name the offending parameter."));
	}

	/**
	 * Lists the registered kinds as the enum of the {@code source} parameter and of every
	 * schema property that holds a kind ({@code source} of interactions, {@code type} of
	 * sources), so the document follows the connectors instead of a hard-coded list.
	 */
	@Bean
	OpenApiCustomizer sourceKindsInTheDocument(SourceNames kinds) {
		List<String> names = new ArrayList<>(kinds.names());
		return (openApi) -> {
			if (openApi.getPaths() != null) {
				openApi.getPaths()
					.values()
					.stream()
					.flatMap((path) -> path.readOperations().stream())
					.filter((operation) -> operation.getParameters() != null)
					.flatMap((operation) -> operation.getParameters().stream())
					.filter((parameter) -> "source".equals(parameter.getName()) && "query".equals(parameter.getIn()))
					.map(Parameter::getSchema)
					.map((schema) -> (schema.getItems() != null) ? schema.getItems() : schema)
					.forEach((schema) -> enumerate(schema, names));
			}
			if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
				for (Map.Entry<String, Schema> entry : openApi.getComponents().getSchemas().entrySet()) {
					String property = switch (entry.getKey()) {
						case "InteractionSummary", "InteractionDetail" -> "source";
						case "SourceStatus" -> "type";
						default -> null;
					};
					Map<String, Schema> properties = entry.getValue().getProperties();
					if (property != null && properties != null && properties.get(property) != null) {
						enumerate(properties.get(property), names);
					}
				}
			}
		};
	}

	/**
	 * Nulls, security, errors, rate-limit headers and limits for the whole document (see
	 * {@link OpenApiContract}).
	 * @param handlers the API's handler methods, whose return types name the response
	 * records
	 * @return the customizer
	 */
	@Bean
	OpenApiCustomizer apiContract(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers) {
		return (openApi) -> OpenApiContract.apply(openApi,
				handlers.getHandlerMethods()
					.values()
					.stream()
					.filter((method) -> method.getBeanType().getPackageName().startsWith("io.tributary"))
					.map((method) -> method.getReturnType().getGenericParameterType())
					.toList());
	}

	/**
	 * Leaves out of an operation the parameters its handler refuses
	 * ({@link NotParameters}): components of a filter record shared with other endpoints.
	 * @return the customizer
	 */
	@Bean
	OperationCustomizer notParameters() {
		return (operation, handler) -> {
			NotParameters refused = handler.getMethodAnnotation(NotParameters.class);
			if (refused != null && operation.getParameters() != null) {
				List<String> names = List.of(refused.value());
				operation.getParameters().removeIf((parameter) -> names.contains(parameter.getName()));
			}
			return operation;
		};
	}

	@SuppressWarnings("unchecked")
	private static void enumerate(Schema schema, List<String> names) {
		schema.setEnum(new ArrayList<>(names));
	}

}
