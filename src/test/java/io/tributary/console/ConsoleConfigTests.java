package io.tributary.console;

import java.util.List;

import io.tributary.console.ConsoleController.ConfiguredKey;
import io.tributary.console.ConsoleController.ConsoleConfig;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the console learns before it has a key: the demo key only in the demo profile and
 * only as documented.
 */
class ConsoleConfigTests {

	@Test
	void theDemoOffersItsDocumentedKeyWithItsScopesAsConfigured() {
		MockEnvironment environment = new MockEnvironment().withProperty("tributary.security.api-keys[0].name", "other")
			.withProperty("tributary.security.api-keys[0].key-sha256", "9f86d081884c7d659a2feaa0c55ad015")
			.withProperty("tributary.security.api-keys[0].scopes", "read")
			.withProperty("tributary.security.api-keys[1].name", "demo")
			.withProperty("tributary.security.api-keys[1].key", "tributary-demo-key")
			.withProperty("tributary.security.api-keys[1].scopes", "operate, read")
			.withProperty("tributary.security.api-keys[1].rate-limit.requests", "5");
		environment.setActiveProfiles("demo");
		assertThat(new ConsoleController(environment).config().getBody())
			.isEqualTo(new ConsoleConfig(true, "tributary-demo-key", List.of("read", "operate")));
	}

	@Test
	void aDemoKeyFromTheEnvironmentIsNeverOffered() {
		assertThat(ConsoleController.configOf(true, true, keys("a-key-someone-chose-0001")))
			.isEqualTo(new ConsoleConfig(true, null, List.of()));
	}

	@Test
	void outsideTheDemoNoKeyIsOfferedEvenTheDocumentedOne() {
		assertThat(ConsoleController.configOf(false, true, keys(ConsoleController.DOCUMENTED_DEMO_KEY)))
			.isEqualTo(new ConsoleConfig(true, null, List.of()));
	}

	@Test
	void withSecurityOffTheConsoleAsksForNoKey() {
		MockEnvironment environment = new MockEnvironment().withProperty("tributary.security.enabled", "false");
		assertThat(new ConsoleController(environment).config().getBody())
			.isEqualTo(new ConsoleConfig(false, null, List.of()));
	}

	private static List<ConfiguredKey> keys(String key) {
		return List.of(new ConfiguredKey(null, List.of("read")), new ConfiguredKey(key, List.of("read", "operate")));
	}

}
