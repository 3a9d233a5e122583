package io.tributary.console;

import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Hidden;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
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
 * like any other and is never returned). It reads the key configuration as configured,
 * not the security package's types, which no feature sees.
 */
@RestController
@Hidden
class ConsoleController {

	/** The demo profile's key, as the README documents it. */
	static final String DOCUMENTED_DEMO_KEY = "tributary-demo-key";

	private static final List<String> SCOPE_ORDER = List.of("read", "operate");

	private final ConsoleConfig config;

	ConsoleController(Environment environment) {
		Binder binder = Binder.get(environment);
		this.config = configOf(environment.acceptsProfiles(Profiles.of("demo")),
				binder.bind("tributary.security.enabled", Boolean.class).orElse(true),
				binder.bind("tributary.security.api-keys", Bindable.listOf(ConfiguredKey.class)).orElse(List.of()));
	}

	static ConsoleConfig configOf(boolean demo, boolean securityEnabled, List<ConfiguredKey> keys) {
		if (!securityEnabled) {
			return new ConsoleConfig(false, null, List.of());
		}
		return keys.stream()
			.filter((key) -> demo && DOCUMENTED_DEMO_KEY.equals(key.key()))
			.findFirst()
			.map((key) -> new ConsoleConfig(true, DOCUMENTED_DEMO_KEY, scopes(key)))
			.orElseGet(() -> new ConsoleConfig(true, null, List.of()));
	}

	private static List<String> scopes(ConfiguredKey key) {
		List<String> named = (key.scopes() != null)
				? key.scopes().stream().map((scope) -> scope.trim().toLowerCase(Locale.ROOT)).toList() : List.of();
		return SCOPE_ORDER.stream().filter(named::contains).toList();
	}

	@GetMapping(path = "/console/config.json", produces = "application/json")
	ResponseEntity<ConsoleConfig> config() {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(this.config);
	}

	/**
	 * The part of a configured key ({@code tributary.security.api-keys[n]}) the console
	 * looks at.
	 *
	 * @param key the key itself, when configured in clear
	 * @param scopes its scopes as written
	 */
	record ConfiguredKey(@Nullable String key, @Nullable List<String> scopes) {
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
