package io.tributary.web;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tributary.common.InvalidParameter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses query parameters the endpoint does not declare, so a typo such as
 * {@code sourc=zylon} is answered with a 400 naming it instead of silently returning
 * everything. The declared names are read from the handler method: its
 * {@code @RequestParam}s and the components of its {@code @ModelAttribute} records.
 */
class StrictParametersInterceptor implements HandlerInterceptor {

	private final Map<HandlerMethod, Set<String>> declared = new ConcurrentHashMap<>();

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod method) {
			Set<String> allowed = this.declared.computeIfAbsent(method, StrictParametersInterceptor::declaredNames);
			for (String name : request.getParameterMap().keySet()) {
				if (!allowed.contains(name)) {
					throw new InvalidParameter(name, unknownMessage(name, allowed));
				}
			}
		}
		return true;
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
