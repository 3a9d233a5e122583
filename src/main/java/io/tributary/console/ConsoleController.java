package io.tributary.console;

import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Hidden;
import io.tributary.security.ApiSecurityProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /console/config.json}: what the console shows before a key is entered. Outside
 * the demo it names no key; in the demo it names the documented demo key only while that
 * key is configured as it is documented (a demo key set from the environment is a secret
 * like any other and is never returned).
 */
@RestController
@Hidden
class ConsoleController {

	/** The demo profile's key, as the README documents it. */
	static final String DOCUMENTED_DEMO_KEY = "tributary-demo-key";

	private final ConsoleConfig config;

	ConsoleController(Environment environment, ApiSecurityProperties security) {
		this.config = configOf(environment.acceptsProfiles(Profiles.of("demo")), security);
	}

	static ConsoleConfig configOf(boolean demo, ApiSecurityProperties security) {
		if (!security.enabled()) {
			return new ConsoleConfig(false, null, List.of());
		}
		return security.apiKeys()
			.stream()
			.filter((key) -> demo && DOCUMENTED_DEMO_KEY.equals(key.key()))
			.findFirst()
			.map((key) -> new ConsoleConfig(true, DOCUMENTED_DEMO_KEY,
					key.scopes().stream().sorted().map((scope) -> scope.name().toLowerCase(Locale.ROOT)).toList()))
			.orElseGet(() -> new ConsoleConfig(true, null, List.of()));
	}

	@GetMapping(path = "/console/config.json", produces = "application/json")
	ResponseEntity<ConsoleConfig> config() {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(this.config);
	}

	/**
	 * @param keyRequired false when {@code tributary.security.enabled=false}: the API
	 * answers without a key
	 * @param demoKey the documented demo key, in the demo profile while it is configured;
	 * otherwise null
	 * @param demoKeyScopes its scopes
	 */
	record ConsoleConfig(boolean keyRequired, @Nullable String demoKey, List<String> demoKeyScopes) {
	}

}
