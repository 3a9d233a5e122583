package io.tributary.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a health path that names no component with a 404 problem, the same one a caller
 * who may not see components gets for a path that names one (no oracle for connection
 * names). Spring Boot's health endpoint fails (a 500) on a path of two or more segments
 * whose first is neither a group nor a component, such as
 * {@code /actuator/health/nothing/else}, once the caller may see components (a key with
 * {@code operate}).
 */
class HealthPathFilter extends OncePerRequestFilter {

	private final String prefix;

	private final ObjectProvider<HealthContributorRegistry> contributors;

	private final ObjectProvider<HealthEndpointGroups> groups;

	private final JsonMapper json;

	/**
	 * @param prefix the health endpoint's path and a slash
	 * @param contributors the health contributors (none where Actuator is not set up)
	 * @param groups the health groups
	 * @param json writes the problem
	 */
	HealthPathFilter(String prefix, ObjectProvider<HealthContributorRegistry> contributors,
			ObjectProvider<HealthEndpointGroups> groups, JsonMapper json) {
		this.prefix = prefix;
		this.contributors = contributors;
		this.groups = groups;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.startsWith(this.prefix) && !names(path.substring(this.prefix.length()).split("/"))) {
			// the very answer a path below a component the caller may not see gets, so
			// the
			// answer tells nothing of which connections exist
			Problems.write(response, ProblemErrorController.forStatus(404, request.getMethod(), path), this.json);
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * @return whether the segments name a component (after a group, if the first names
	 * one), or are too few for Spring Boot to stumble
	 */
	private boolean names(String[] segments) {
		HealthContributorRegistry registry = this.contributors.getIfAvailable();
		HealthEndpointGroups named = this.groups.getIfAvailable();
		if (segments.length < 2 || registry == null || named == null) {
			return true;
		}
		int first = (named.get(decode(segments[0])) != null) ? 1 : 0;
		HealthContributor current = null;
		for (int i = first; i < segments.length; i++) {
			String name = decode(segments[i]);
			current = (i == first) ? registry.getContributor(name)
					: (current instanceof CompositeHealthContributor composite) ? composite.getContributor(name) : null;
			if (current == null) {
				return false;
			}
		}
		return true;
	}

	private static String decode(String segment) {
		try {
			return URLDecoder.decode(segment, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return segment;
		}
	}

}
