package io.tributary.security;

import java.io.IOException;

import io.tributary.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * 401 and 403 as problem documents, with the RFC 6750 {@code WWW-Authenticate} challenge:
 * no key, a key nobody configured ({@code invalid_token}), a key without the scope the
 * request needs ({@code insufficient_scope}, naming it), or a key limited to some
 * connections asking for what shows every connection (Actuator).
 */
final class SecurityProblems implements AuthenticationEntryPoint, AuthenticationFailureHandler, AccessDeniedHandler {

	private static final String REALM = "Bearer realm=\"tributary\"";

	private final JsonMapper json;

	SecurityProblems(JsonMapper json) {
		this.json = json;
	}

	/** No key sent. */
	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, REALM);
		Problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "API key required", null,
				"Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'", request.getRequestURI()),
				this.json);
	}

	/**
	 * A key was sent, but it is not one that works: unknown, expired or revoked, said the
	 * same way for all three, so the answer does not tell whether a key exists.
	 */
	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException ex) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
				REALM + ", error=\"invalid_token\", error_description=\"The API key is not valid\"");
		Problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Invalid API key", null,
				"The API key sent is not valid: it is unknown, expired or revoked; check for a typo or a rotated key",
				request.getRequestURI()), this.json);
	}

	/**
	 * A valid key without the scope this request needs, or limited to some connections
	 * where the answer would show every connection (Actuator).
	 */
	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		Scope required = requiredScope(request);
		if (SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication authentication
				&& authentication.key() != null && authentication.key().scopes().contains(required)) {
			ApiKeys.Key key = authentication.key();
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					REALM + ", error=\"insufficient_scope\", scope=\"" + required.apiValue()
							+ "\", error_description=\"This request needs a key that sees every connection\"");
			Problems.write(response, Problems
				.of(HttpStatus.FORBIDDEN, "forbidden", "Key limited to some connections", null, "API key '" + key.name()
						+ "' is limited to " + key.connections().size()
						+ " connection(s), and this request shows or changes what concerns every connection; use a key with the '"
						+ required.apiValue() + "' scope that is limited to none", request.getRequestURI()),
					this.json);
			return;
		}
		String scope = required.apiValue();
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"insufficient_scope\", scope=\"" + scope
				+ "\", error_description=\"This request needs the " + scope + " scope\"");
		Problems.write(response,
				Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Insufficient scope", null,
						"This request needs an API key with the '" + scope + "' scope", request.getRequestURI()),
				this.json);
	}

	/**
	 * {@code read} for reads of the API but the keys' own, {@code operate} for everything
	 * else protected.
	 */
	static Scope requiredScope(HttpServletRequest request) {
		boolean read = HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod());
		String path = request.getRequestURI();
		boolean keys = path.equals(ApiKeyController.PATH) || path.startsWith(ApiKeyController.PATH + "/");
		return (read && path.startsWith("/api/") && !keys) ? Scope.READ : Scope.OPERATE;
	}

}
