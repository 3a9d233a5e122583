package io.tributary.hygiene;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DeserializationFeature;
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

	@ParameterizedTest
	@ValueSource(strings = { "credentials", "secret_key", "apiKeys", "auth", "password", "x-api-key", "accessToken",
			"bearer", "session", "cookie", "private_key", "X-Api-Key", "XApiKey", "API_KEY", "apikey", "xapikey",
			"client_secret", "clientSecret", "authorization_token", "Authorization", "proxy-authorization",
			"x-auth-token", "authToken", "oauth2_token", "refresh_token", "id_token", "token", "apiToken",
			"accesstoken", "session_id", "sessionId", "Set-Cookie", "passwd", "user_password", "dbPassword",
			"privateKey", "access_key_id", "aws_secret_access_key", "signing_key", "access_tokens", "csrf_token",
			"authentication", "jwt" })
	void secretNames(String name) {
		assertThat(Secrets.isSecretName(name)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "input_tokens", "output_tokens", "max_tokens", "tokenCount", "token_count", "total_tokens",
			"prompt_tokens", "completion_tokens", "cache_read_input_tokens", "num_tokens", "maxTokens", "tokens",
			"author", "authority", "authored_by", "co_author", "authorName", "authenticated", "key", "keys",
			"public_key", "monkey", "tokenizer", "possession", "name", "url", "id", "created_at" })
	void namesThatAreNoSecret(String name) {
		assertThat(Secrets.isSecretName(name)).isFalse();
	}

	@Test
	void splitsNamesIntoWords() {
		assertThat(Secrets.words("XApiKey")).containsExactly("x", "api", "key");
		assertThat(Secrets.words("authorization_token")).containsExactly("authorization", "token");
		assertThat(Secrets.words("oauth2AccessToken")).containsExactly("oauth", "2", "access", "token");
		assertThat(Secrets.words("x-api-key")).containsExactly("x", "api", "key");
	}

	@Test
	void keepsNullsAndRedactsAnySecretValue() {
		JsonNode redacted = Secrets.redact(this.json.readTree("""
				{"password": null, "session": {"id": "abc", "user": "u"}, "apiKeys": ["k1", "k2"], "cookie": 12}
				"""));

		assertThat(redacted.get("password").isNull()).isTrue();
		assertThat(redacted.get("session").asString()).isEqualTo("[redacted]");
		assertThat(redacted.get("apiKeys").asString()).isEqualTo("[redacted]");
		assertThat(redacted.get("cookie").asString()).isEqualTo("[redacted]");
	}

	@Test
	void stripsCredentialsAndQueriesFromUrlsInStringsAnywhere() {
		JsonNode node = this.json.readTree("""
				{"url": "https://user:pa55@files.example.com:8443/a/b.png?X-Amz-Signature=s1&x=2",
				 "list": ["see https://ex.com/p?token=s2 and https://ex.com/q", {"deep": "ftp://bob:s3@host/file"}],
				 "callback": "https://app.example.com/cb#access_token=s4&state=1",
				 "docs": "https://docs.example.com/guide#section-2",
				 "plain": "no url here ?a=b"}
				""");

		JsonNode redacted = Secrets.redact(node);

		assertThat(redacted.toString()).doesNotContain("s1", "pa55", "user:", "s2", "s3", "bob", "s4");
		assertThat(redacted.get("url").asString()).isEqualTo("https://files.example.com:8443/a/b.png?[redacted]");
		assertThat(redacted.at("/list/0").asString()).isEqualTo("see https://ex.com/p?[redacted] and https://ex.com/q");
		assertThat(redacted.at("/list/1/deep").asString()).isEqualTo("ftp://host/file");
		assertThat(redacted.get("callback").asString()).isEqualTo("https://app.example.com/cb#[redacted]");
		assertThat(redacted.get("docs").asString()).isEqualTo("https://docs.example.com/guide#section-2");
		assertThat(redacted.get("plain").asString()).isEqualTo("no url here ?a=b");
		assertThat(node.get("url").asString()).as("the input is left alone").contains("pa55");
	}

	@Test
	void redactingTwiceChangesNothingMore() {
		String text = "https://ex.com/p?[redacted] and https://host/x";

		assertThat(Secrets.redactUrls(text)).isSameAs(text);
		assertThat(Secrets.redactUrls(Secrets.redactUrls("https://a:b@ex.com/p?q=1")))
			.isEqualTo("https://ex.com/p?[redacted]");
	}

	@Test
	void keepsNumbersExactly() {
		JsonMapper decimals = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
		JsonNode node = decimals.readTree("""
				{"temperature": 0.70000000000000000001, "top_p": 0.90, "seed": 123456789012345678901234567890,
				 "nested": [{"value": 1.5e-400}]}
				""");

		JsonNode redacted = Secrets.redact(node);

		assertThat(redacted.get("temperature").decimalValue()).isEqualTo(new BigDecimal("0.70000000000000000001"));
		assertThat(redacted.get("top_p").decimalValue()).isEqualTo(new BigDecimal("0.90"));
		assertThat(redacted.get("seed").bigIntegerValue()).hasToString("123456789012345678901234567890");
		assertThat(redacted.at("/nested/0/value").decimalValue()).isEqualTo(new BigDecimal("1.5e-400"));
		assertThat(redacted.toString()).contains("0.70000000000000000001", "0.90");
	}

}
