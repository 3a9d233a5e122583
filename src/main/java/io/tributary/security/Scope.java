package io.tributary.security;

import org.springframework.security.core.GrantedAuthority;

/**
 * What a key may do: {@code read} every GET under {@code /api}; {@code operate} trigger
 * syncs, change state and read Actuator beyond the health probes.
 */
public enum Scope {

	READ, OPERATE;

	/**
	 * @return its name in configuration and in {@code WWW-Authenticate}
	 */
	String apiValue() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * @return the authority a key with this scope holds
	 */
	String authority() {
		return "SCOPE_" + apiValue();
	}

	GrantedAuthority grantedAuthority() {
		String authority = authority();
		return () -> authority;
	}

}
