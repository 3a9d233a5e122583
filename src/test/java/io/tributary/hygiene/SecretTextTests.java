package io.tributary.hygiene;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets in free text: log lines, error summaries.
 */
class SecretTextTests {

	private static final String KEY = "UPSTREAM-SECRET-7f3a9c21";

	private final SecretText secrets = SecretText.of(List.of(KEY, "short"));

	@Test
	void knownValuesAreReplacedAsTheyAreJsonEscapedOrUrlEncoded() {
		SecretText quoted = SecretText.of(List.of("se\"cret/with spaces&more"));
		assertThat(quoted.redact("a se\\\"cret/with spaces&more b")).isEqualTo("a [redacted] b");
		assertThat(quoted.redact("q=se%22cret%2Fwith+spaces%26more")).isEqualTo("q=[redacted]");
		assertThat(this.secrets.redact("echo " + KEY + "!")).isEqualTo("echo [redacted]!");
		assertThat(this.secrets.redact("too short to search for: short")).endsWith("short");
	}

	@Test
	void secretNamedHeadersFieldsAndParametersLoseTheirValues() {
		SecretText none = SecretText.none();
		assertThat(none.redact("[Authorization:\"Token abc123\", x-org:\"acme\", Accept:\"*/*\"]"))
			.isEqualTo("[Authorization:\"[redacted]\", x-org:\"acme\", Accept:\"*/*\"]");
		assertThat(none.redact("DefaultHttpHeaders[authorization: Bearer abc123, x-api-key: k1, host: h]"))
			.isEqualTo("DefaultHttpHeaders[authorization: [redacted], x-api-key: [redacted], host: h]");
		assertThat(none.redact("GET / HTTP/1.1\r\nX-API-Key: wrong-key\r\nHost: localhost\r\n"))
			.isEqualTo("GET / HTTP/1.1\r\nX-API-Key: [redacted]\r\nHost: localhost\r\n");
		assertThat(none.redact("{\"api_key\":\"p1\",\"token\": \"p2\",\"max_tokens\":100,\"note\":\"hi\"}"))
			.isEqualTo("{\"api_key\":\"[redacted]\",\"token\": \"[redacted]\",\"max_tokens\":100,\"note\":\"hi\"}");
		assertThat(none.redact("http://h/api/v1/interactions?page=2&token=abc&limit=5"))
			.isEqualTo("http://h/api/v1/interactions?page=2&token=[redacted]&limit=5");
		assertThat(none.redact("Connection[apiKey=abc, baseUrl=x]"))
			.isEqualTo("Connection[apiKey=[redacted], baseUrl=x]");
		assertThat(none.redact("Decoded \"{\"password\":\"hunter2hunter2 (truncated)..."))
			.isEqualTo("Decoded \"{\"password\":\"[redacted]");
	}

	@Test
	void credentialsAfterAnAuthSchemeAndInUrlsAreReplaced() {
		SecretText none = SecretText.none();
		assertThat(none.redact("sent Bearer abcdefgh12345 upstream")).isEqualTo("sent Bearer [redacted] upstream");
		assertThat(none.redact("at https://me:pw@host/api")).isEqualTo("at https://[redacted]@host/api");
	}

	@Test
	void ordinaryLogLinesStayAsTheyAre() {
		for (String line : List.of("Sync run 3 of connection 'zylon-prod' (full) succeeded in 120 ms",
				"GET /api/v1/interactions answered 401: Unauthorized", "input_tokens: 120, output_tokens: 348",
				"HikariPool-1 - Start completed.", "author: Ann, authority: x")) {
			assertThat(SecretText.none().redact(line)).isSameAs(line);
		}
	}

	@Test
	void summariesAlsoDropCredentialLikeWordsButKeepIdsAndTimes() {
		assertThat(SecretText.none()
			.summarize("Invalid token sk_live_51Habc9XyZ0123456789 for 3c90c3cc-0d44-4b50-8888-8dd25736052a at "
					+ "2026-11-20T12:00:00Z", 200))
			.isEqualTo("Invalid token [redacted] for 3c90c3cc-0d44-4b50-8888-8dd25736052a at 2026-11-20T12:00:00Z");
		assertThat(SecretText.none().summarize("a\n  b " + "x".repeat(300), 10)).isEqualTo("a b xxxxxx…");
	}

	@Test
	void quotedDataIsLeftOutOfParserMessages() {
		assertThat(SecretText.withoutQuotedValues(
				"Cannot deserialize value of type `int` from String \"PAYLOAD-SECRET\": not a valid `int` value"))
			.isEqualTo("Cannot deserialize value of type `int` from String \"…\": not a valid `int` value");
		assertThat(SecretText.withoutQuotedValues("Unrecognized token 'UPSTREAMSECRET': was expecting ('x' (code 1))"))
			.isEqualTo("Unrecognized token '…': was expecting ('x' (code 1))");
	}

}
