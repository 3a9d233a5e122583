package io.tributary.source;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void redactsSecretNamedFieldsAtAnyDepthAndKeepsTokenCounts() {
		JsonNode node = this.json.readTree("""
				{"pgpt": {"mcp_servers": [{"name": "docs", "authorization_token": "s1"}], "max_tokens": 10},
				 "usage": {"input_tokens": 5, "output_tokens": 6},
				 "apiKey": "s2", "x-api-key": "s3", "password": "s4", "client_secret": "s5", "accessToken": "s6",
				 "Authorization": "Bearer s7", "credential": {"user": "u", "pass": "s8"}, "name": "kept"}
				""");

		JsonNode redacted = Secrets.redact(node);

		assertThat(redacted.toString()).doesNotContain("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");
		assertThat(redacted.at("/pgpt/mcp_servers/0/name").asString()).isEqualTo("docs");
		assertThat(redacted.at("/pgpt/max_tokens").asInt()).isEqualTo(10);
		assertThat(redacted.at("/usage/input_tokens").asInt()).isEqualTo(5);
		assertThat(redacted.get("name").asString()).isEqualTo("kept");
		assertThat(node.at("/pgpt/mcp_servers/0/authorization_token").asString()).as("the input is left alone")
			.isEqualTo("s1");
	}

}
