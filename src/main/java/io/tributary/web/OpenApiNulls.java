package io.tributary.web;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The nulls of the OpenAPI document, part of {@link OpenApiContract}: every field of a
 * response record is required, and a field whose component is {@code @Nullable} may be
 * {@code null} (fields left out when null, such as {@code page.total}, are optional
 * instead).
 */
final class OpenApiNulls {

	private OpenApiNulls() {
	}

	/**
	 * Marks each response record's fields required, or nullable where the component is
	 * {@code @Nullable}; records nested in others, in lists or unwrapped are found from
	 * the handler methods' return types.
	 */
	static void apply(Components components, Collection<Type> responseTypes) {
		Set<Class<?>> records = new LinkedHashSet<>();
		responseTypes.forEach((type) -> collectRecords(type, records));
		Map<String, Schema> schemas = (components.getSchemas() != null) ? components.getSchemas() : Map.of();
		for (Class<?> type : records) {
			Schema<?> schema = schemas.get(type.getSimpleName());
			if (schema != null && schema.getProperties() != null) {
				nulls(schema, type);
			}
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static void nulls(Schema<?> schema, Class<?> type) {
		Map<String, Schema> properties = (Map) schema.getProperties();
		for (RecordComponent component : type.getRecordComponents()) {
			if (component.getAccessor().isAnnotationPresent(JsonUnwrapped.class)) {
				nulls(schema, component.getType());
				continue;
			}
			Schema property = properties.get(component.getName());
			if (property == null) {
				continue;
			}
			if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
				properties.put(component.getName(), nullable(property));
			}
			JsonInclude include = component.getAccessor().getAnnotation(JsonInclude.class);
			boolean omittedWhenNull = include != null && include.value() == JsonInclude.Include.NON_NULL;
			List<String> required = new ArrayList<>((schema.getRequired() != null) ? schema.getRequired() : List.of());
			if (!omittedWhenNull && !required.contains(component.getName())) {
				required.add(component.getName());
				schema.setRequired(required);
			}
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Schema nullable(Schema property) {
		if (property.get$ref() != null) {
			return new JsonSchema().description(property.getDescription())
				.oneOf(List.of(new JsonSchema().$ref(property.get$ref()), new JsonSchema().types(Set.of("null"))));
		}
		Set<String> types = new LinkedHashSet<>();
		if (property.getTypes() != null) {
			types.addAll(property.getTypes());
		}
		else if (property.getType() != null) {
			types.add(property.getType());
		}
		types.add("null");
		property.setTypes(types);
		if (property.getEnum() != null && !property.getEnum().contains(null)) {
			property.getEnum().add(null);
		}
		return property;
	}

	private static void collectRecords(Type type, Set<Class<?>> records) {
		if (type instanceof ParameterizedType parameterized) {
			collectRecords(parameterized.getRawType(), records);
			for (Type argument : parameterized.getActualTypeArguments()) {
				collectRecords(argument, records);
			}
		}
		else if (type instanceof Class<?> type1 && type1.isRecord() && records.add(type1)) {
			for (RecordComponent component : type1.getRecordComponents()) {
				collectRecords(component.getGenericType(), records);
			}
		}
	}

}
