package io.tributary.security;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tributary.common.ApiValue;

import org.springframework.security.core.GrantedAuthority;

/**
 * What a key may do: {@code read} every GET under {@code /api}; {@code operate} trigger
 * syncs, change state and read Actuator beyond the health probes.
 */
public enum Scope implements ApiValue {

	READ, OPERATE;

	/**
	 * @return its name in configuration, in the API and in {@code WWW-Authenticate}
	 */
	@Override
	@JsonValue
	public String apiValue() {
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
