package io.tributary.web;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tributary.common.InvalidParameter;
import io.tributary.common.NotParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Refuses query parameters the endpoint does not declare, so a typo such as
 * {@code sourc=zylon} is answered with a 400 naming it instead of silently returning
 * everything. The declared names are read from the handler method: its
 * {@code @RequestParam}s and the components of its {@code @ModelAttribute} records.
 * <p>
 * Also refuses control characters (U+0000 to U+001F, U+007F to U+009F) in any parameter
 * value and path variable, naming the parameter: no identifier, date or value of this API
 * holds one, and PostgreSQL cannot even compare text holding U+0000. This runs before the
 * values are converted, so every parameter gets the same answer.
 * <p>
 * And it enforces the limits the OpenAPI document declares for every parameter: at most
 * {@value OpenApiContract#MAX_PARAMETER_LENGTH} characters per value or path segment, and
 * at most {@value OpenApiContract#MAX_PARAMETER_VALUES} values of one repeated parameter.
 */
class StrictParametersInterceptor implements HandlerInterceptor {

	private final Map<HandlerMethod, Set<String>> declared = new ConcurrentHashMap<>();

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod method) {
			Set<String> allowed = this.declared.computeIfAbsent(method, StrictParametersInterceptor::declaredNames);
			for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
				String name = parameter.getKey();
				refuseControlCharacters(name, name, "name");
				if (!allowed.contains(name)) {
					throw new InvalidParameter(name, unknownMessage(name, allowed));
				}
				if (parameter.getValue().length > OpenApiContract.MAX_PARAMETER_VALUES) {
					throw new InvalidParameter(name,
							"Parameter '" + name + "' is repeated " + parameter.getValue().length + " times; at most "
									+ OpenApiContract.MAX_PARAMETER_VALUES + " values are allowed");
				}
				for (String value : parameter.getValue()) {
					refuseControlCharacters(name, value, "value");
					refuseLong(name, value, "value");
				}
			}
			if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
				for (Map.Entry<?, ?> variable : variables.entrySet()) {
					refuseControlCharacters(String.valueOf(variable.getKey()), String.valueOf(variable.getValue()),
							"path segment");
					refuseLong(String.valueOf(variable.getKey()), String.valueOf(variable.getValue()), "path segment");
				}
			}
		}
		return true;
	}

	private static void refuseLong(String name, String text, String what) {
		if (text.length() > OpenApiContract.MAX_PARAMETER_LENGTH) {
			throw new InvalidParameter(name, "Parameter '" + name + "': its " + what + " is " + text.length()
					+ " characters long; at most " + OpenApiContract.MAX_PARAMETER_LENGTH + " are allowed");
		}
	}

	private static void refuseControlCharacters(String name, String text, String what) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isISOControl(c)) {
				throw new InvalidParameter(name,
						String.format(
								"Parameter '%s': its %s holds the control character U+%04X at position %d; "
										+ "control characters are not allowed in any parameter",
								printable(name), what, (int) c, i + 1));
			}
		}
	}

	/** The name with its control characters shown as escapes, for messages. */
	private static String printable(String name) {
		StringBuilder printable = new StringBuilder();
		name.chars()
			.forEach((c) -> printable.append(Character.isISOControl(c) ? String.format("\\u%04X", c) : (char) c));
		return printable.toString();
	}

	private static String unknownMessage(String name, Set<String> allowed) {
		if (allowed.isEmpty()) {
			return "Unknown query parameter '" + name + "': this endpoint takes no query parameters";
		}
		String closest = allowed.stream()
			.min(Comparator.comparingInt((candidate) -> distance(name, candidate)))
			.filter((candidate) -> distance(name, candidate) <= Math.max(2, name.length() / 3))
			.map((candidate) -> " Did you mean '" + candidate + "'?")
			.orElse("");
		return "Unknown query parameter '" + name + "'." + closest + " Allowed: " + String.join(", ", allowed);
	}

	private static Set<String> declaredNames(HandlerMethod method) {
		Set<String> names = new LinkedHashSet<>();
		for (MethodParameter parameter : method.getMethodParameters()) {
			RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
			if (requestParam != null) {
				String name = requestParam.name().isEmpty() ? parameter.getParameterName() : requestParam.name();
				names.add(name);
			}
			else if (parameter.hasParameterAnnotation(ModelAttribute.class)
					&& parameter.getParameterType().isRecord()) {
				Arrays.stream(parameter.getParameterType().getRecordComponents())
					.map(RecordComponent::getName)
					.forEach(names::add);
			}
		}
		NotParameters refused = method.getMethodAnnotation(NotParameters.class);
		if (refused != null) {
			Arrays.asList(refused.value()).forEach(names::remove);
		}
		return names;
	}

	/** Levenshtein distance, for "did you mean". */
	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = Character.toLowerCase(a.charAt(i - 1)) == Character.toLowerCase(b.charAt(j - 1)) ? 0 : 1;
				current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
