package io.tributary.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.tributary.common.Digests;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the key from {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} (the
 * first when both are sent) and checks it against the configured keys, then the stored
 * ones. A key that is unknown, expired or revoked is refused the same way, so the answer
 * does not tell whether a key exists.
 */
final class ApiKeyRequests implements AuthenticationConverter, AuthenticationProvider {

	static final String HEADER = "X-API-Key";

	private static final String BEARER = "bearer ";

	private final ApiKeys keys;

	private final @Nullable StoredKeys stored;

	private final Clock clock;

	/**
	 * @param keys the configured keys
	 * @param stored the stored keys; null where there are none (security off, web slice
	 * tests)
	 * @param clock the time keys expire by
	 */
	ApiKeyRequests(ApiKeys keys, @Nullable StoredKeys stored, Clock clock) {
		this.keys = keys;
		this.stored = stored;
		this.clock = clock;
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
		byte[] digest = Digests.sha256((secret != null) ? secret.toString() : "");
		Optional<ApiKeys.Key> key = this.keys.find(digest);
		if (key.isEmpty() && this.stored != null) {
			key = this.stored.find(digest);
		}
		Instant now = this.clock.instant();
		return key.filter((found) -> !found.expiredAt(now))
			.map(ApiKeyAuthentication::of)
			.orElseThrow(() -> new BadCredentialsException("Unknown, expired or revoked API key"));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return ApiKeyAuthentication.class.isAssignableFrom(authentication);
	}

}
