package io.tributary.security;

import java.util.Collection;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A request's API key: before authentication only the presented secret, after it the
 * configured key with its scopes as authorities ({@code SCOPE_read},
 * {@code SCOPE_operate}). The secret is dropped once checked.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private final transient ApiKeys.Key key;

	private transient String presented;

	private ApiKeyAuthentication(String presented, ApiKeys.Key key, Collection<? extends GrantedAuthority> scopes) {
		super(scopes);
		this.presented = presented;
		this.key = key;
		setAuthenticated(key != null);
	}

	static ApiKeyAuthentication presented(String secret) {
		return new ApiKeyAuthentication(secret, null, List.of());
	}

	static ApiKeyAuthentication of(ApiKeys.Key key) {
		return new ApiKeyAuthentication(null, key, key.scopes().stream().map(Scope::grantedAuthority).toList());
	}

	ApiKeys.Key key() {
		return this.key;
	}

	@Override
	public Object getCredentials() {
		return this.presented;
	}

	@Override
	public Object getPrincipal() {
		return (this.key != null) ? this.key.name() : null;
	}

	@Override
	public String getName() {
		return (this.key != null) ? this.key.name() : "unauthenticated";
	}

	@Override
	public void eraseCredentials() {
		this.presented = null;
	}

	@Override
	public String toString() {
		return "ApiKeyAuthentication[" + getName() + "]";
	}

}
