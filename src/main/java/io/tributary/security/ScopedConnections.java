package io.tributary.security;

import java.util.Optional;
import java.util.Set;

import io.tributary.common.ConnectionScope;

import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The connections of the current request's key: those it is limited to, or all when it is
 * not limited, when security is off, or outside a request.
 */
final class ScopedConnections implements ConnectionScope {

	@Override
	public Optional<Set<String>> limitedTo() {
		var authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof ApiKeyAuthentication apiKey && apiKey.key() != null
				&& !apiKey.key().connections().isEmpty()) {
			return Optional.of(apiKey.key().connections());
		}
		return Optional.empty();
	}

}
