package io.tributary.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which configured values are secrets: found by the names of their properties, in any
 * property source and spelling.
 */
class ConfiguredSecretsTests {

	@Test
	void secretPropertiesAreKnownByName() {
		for (String name : new String[] { "tributary.sources.zylon-prod.api-key", "tributary.sources.x.apiKey",
				"tributary.security.api-keys[0].key", "tributary.security.api-keys[1].key-sha256",
				"tributary.api.cursor-secret", "spring.datasource.password", "TRIBUTARY_SOURCES_GREENFLASHPROD_APIKEY",
				"TRIBUTARY_CURSOR_SECRET", "TRIBUTARY_SECURITY_APIKEYS_0_KEY", "SPRING_DATASOURCE_PASSWORD",
				"tributary.personal-data.hash-key", "tributary.sources.x.personal-data.hashKey", "SIGNING_KEY" }) {
			assertThat(ConfiguredSecrets.isSecretProperty(name)).as(name).isTrue();
		}
		for (String name : new String[] { "tributary.security.api-keys[0].name", "tributary.sources.x.page-size",
				"tributary.sources.x.base-url", "TRIBUTARY_SECURITY_APIKEYS_0_NAME", "server.port", "PWD", "OLDPWD",
				"SSH_AUTH_SOCK", "XDG_SESSION_ID", "app.monkey", "spring.cache.redis.key-prefix",
				"spring.ai.max-tokens" }) {
			assertThat(ConfiguredSecrets.isSecretProperty(name)).as(name).isFalse();
		}
	}

	@Test
	void theEnvironmentsSecretsAreItsSecretValuesAndUrlCredentials() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("tributary.sources.x.api-key", "upstream-key-0001",
					"tributary.sources.x.base-url", "https://h/api/v1?sig=signature-0001&v=1",
					"tributary.security.api-keys[0].key", "api-key-000000001", "tributary.security.api-keys[0].name",
					"dashboard-key", "tributary.api.cursor-secret", "${CURSOR:cursor-secret-from-default}",
					"spring.datasource.url", "jdbc:postgresql://app:db-password-1@db/tributary?currentSchema=tributary",
					"other.url", "https://h/x?token=token-value-01&page=12345678", "tributary.sources.x.api-key-short",
					"short")));

		assertThat(ConfiguredSecrets.of(environment))
			.contains("upstream-key-0001", "signature-0001", "api-key-000000001", "cursor-secret-from-default",
					"db-password-1", "token-value-01")
			.doesNotContain("dashboard-key", "tributary", "12345678", "short", "1");
	}

	@Test
	void theDemosPublishedKeyIsNoSecretButAnyOtherKeyIs() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("tributary.security.api-keys[0].key", "tributary-demo-key",
					"tributary.security.api-keys[1].key", "tributary-demo-key-2")));

		assertThat(ConfiguredSecrets.of(environment)).containsExactly("tributary-demo-key-2");
	}

}
