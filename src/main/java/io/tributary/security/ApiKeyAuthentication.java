package io.tributary.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A request's API key: before authentication only the presented secret, after it the
 * configured key with its scopes as authorities ({@code SCOPE_read},
 * {@code SCOPE_operate}), and {@value #OPERATE_EVERY_CONNECTION} when it has
 * {@code operate} and is limited to no connections. The secret is dropped once checked.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	/**
	 * Held by a key with {@code operate} that sees every connection: Actuator beyond the
	 * health status (metrics, health details) shows every connection, so it needs this
	 * ({@code management.endpoint.health.roles}).
	 */
	static final String OPERATE_EVERY_CONNECTION = "OPERATE_EVERY_CONNECTION";

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
		List<GrantedAuthority> authorities = new ArrayList<>(
				key.scopes().stream().map(Scope::grantedAuthority).toList());
		if (key.scopes().contains(Scope.OPERATE) && key.connections().isEmpty()) {
			authorities.add(() -> OPERATE_EVERY_CONNECTION);
		}
		return new ApiKeyAuthentication(null, key, authorities);
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
