package io.tributary.source;

import java.util.List;

import io.tributary.hygiene.SecretText;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a connection holds secret, and how an upstream's error body is summarised without
 * it.
 */
class ConnectionSecretsTests {

	private static final String KEY = "UPSTREAM-SECRET-7f3a9c21";

	private final SecretText secrets = SecretText.of(List.of(KEY, "short"));

	@Test
	void errorBodiesAreSummarisedFromTheirMessageNeverCopied() {
		assertThat(ErrorBodies.summary("{\"detail\":\"Invalid token " + KEY + "\",\"echo\":\"" + KEY + "\"}",
				this.secrets))
			.isEqualTo("Invalid token [redacted]");
		assertThat(
				ErrorBodies.summary("{\"error\":{\"code\":\"rate_limited\",\"message\":\"Slow down\"}}", this.secrets))
			.isEqualTo("Slow down");
		assertThat(ErrorBodies.summary("{\"detail\":[{\"loc\":[\"query\",\"first\"],\"msg\":\"too large\"}]}",
				this.secrets))
			.isEqualTo("too large");
		assertThat(ErrorBodies.summary("{\"request\":{\"headers\":{\"authorization\":\"Token x\"}}}", this.secrets))
			.as("JSON without a message: nothing copied")
			.isEmpty();
		assertThat(ErrorBodies.summary("<html><body>key " + KEY + "</body></html>", this.secrets)).isEmpty();
		assertThat(ErrorBodies.summary("Rate limit reached\nfor key " + KEY, this.secrets))
			.isEqualTo("Rate limit reached for key [redacted]");
		assertThat(ErrorBodies.summary("{\"detail\": \"not json", this.secrets)).isEmpty();
	}

	@Test
	void theConnectionsSecretsAreItsKeyAndItsBaseUrlsQueryValues() {
		SourcesProperties.Connection connection = TestConnections.connection("c", "type", "flockx", "api-key",
				"the-key-0123", "base-url", "https://host/api/v1?token=token-value-1&x=plain");
		assertThat(connection.secrets()).contains("the-key-0123", "token-value-1", "plain");
	}

}
