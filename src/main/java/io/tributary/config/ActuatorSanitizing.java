package io.tributary.config;

import java.util.Set;

import io.tributary.hygiene.KnownSecrets;
import io.tributary.hygiene.SecretText;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Actuator's {@code env} and {@code configprops} never show a secret, even where an
 * operator exposes them and sets {@code show-values} to {@code always} or
 * {@code when-authorized}: a property named like a secret (see
 * {@link ConfiguredSecrets#isSecretProperty}) or whose value contains a configured secret
 * ({@code sun.java.command}, {@code SPRING_APPLICATION_JSON}, a base URL with a token) is
 * shown as {@code ******}, and credentials in other URLs are removed.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorSanitizing {

	@Bean
	SanitizingFunction secretsSanitizer(ConfigurableEnvironment environment) {
		Set<String> secrets = ConfiguredSecrets.of(environment);
		SecretText text = SecretText.of(secrets);
		KnownSecrets known = KnownSecrets.of(secrets);
		return (data) -> {
			Object value = data.getValue();
			if (value == null) {
				return data;
			}
			String shown = value.toString();
			if (ConfiguredSecrets.isSecretProperty(data.getKey()) || known.occursIn(shown)) {
				return data.withSanitizedValue();
			}
			String redacted = text.redact(shown);
			return redacted.equals(shown) ? data : data.withValue(redacted);
		};
	}

}
