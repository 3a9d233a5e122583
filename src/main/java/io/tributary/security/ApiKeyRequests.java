package io.tributary.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the key from {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} (the
 * first when both are sent) and checks it against the configured keys.
 */
final class ApiKeyRequests implements AuthenticationConverter, AuthenticationProvider {

	static final String HEADER = "X-API-Key";

	private static final String BEARER = "bearer ";

	private final ApiKeys keys;

	ApiKeyRequests(ApiKeys keys) {
		this.keys = keys;
	}

	@Override
	public Authentication convert(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length() - 1)
				&& (authorization.length() == BEARER.length() - 1
						|| authorization.charAt(BEARER.length() - 1) == ' ')) {
			return ApiKeyAuthentication.presented(authorization.substring(BEARER.length() - 1).trim());
		}
		String header = request.getHeader(HEADER);
		if (header != null) {
			return ApiKeyAuthentication.presented(header.trim());
		}
		return null;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		Object secret = authentication.getCredentials();
		return this.keys.find((secret != null) ? secret.toString() : "")
			.map(ApiKeyAuthentication::of)
			.orElseThrow(() -> new BadCredentialsException("Unknown API key"));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return ApiKeyAuthentication.class.isAssignableFrom(authentication);
	}

}
