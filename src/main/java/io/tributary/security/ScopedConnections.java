package io.tributary.security;

import java.util.Optional;
import java.util.Set;

import io.tributary.common.ConnectionScope;

import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The connections of the current request's key: those it is limited to, or all when it is
 * not limited or when security is off. Anything else sees none (it fails closed): a
 * request without an authenticated key, or code that runs outside a request and did not
 * say that it works for every connection ({@link ConnectionScope#ALL}).
 */
final class ScopedConnections implements ConnectionScope {

	private final boolean securityEnabled;

	ScopedConnections(boolean securityEnabled) {
		this.securityEnabled = securityEnabled;
	}

	@Override
	public Optional<Set<String>> limitedTo() {
		var authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof ApiKeyAuthentication apiKey && apiKey.key() != null) {
			return apiKey.key().connections().isEmpty() ? Optional.empty() : Optional.of(apiKey.key().connections());
		}
		return this.securityEnabled ? Optional.of(Set.of()) : Optional.empty();
	}

}
