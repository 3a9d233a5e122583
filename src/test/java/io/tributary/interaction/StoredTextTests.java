package io.tributary.interaction;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * U+0000 is dropped where PostgreSQL refuses it, and the connection's secrets are
 * replaced; nothing else is touched.
 */
class StoredTextTests {

	@Test
	void aNulCharacterIsDroppedFromText() {
		assertThat(StoredText.text("be\u0000fore")).isEqualTo("before");
		assertThat(StoredText.text("plain")).isEqualTo("plain");
		assertThat(StoredText.text(null)).isNull();
	}

	@Test
	void anEscapedNulIsDroppedFromJsonButAnEscapedBackslashBeforeU0000IsKept() {
		assertThat(StoredText.json("{\"a\":\"x\\u0000y\"}")).isEqualTo("{\"a\":\"xy\"}");
		// the text \u0000 (a backslash, then u0000) is written as \\u0000 and must stay
		assertThat(StoredText.json("{\"a\":\"x\\\\u0000y\"}")).isEqualTo("{\"a\":\"x\\\\u0000y\"}");
		// an escaped backslash followed by a real NUL: the backslash stays, the NUL goes
		assertThat(StoredText.json("{\"a\":\"\\\\\\u0000\"}")).isEqualTo("{\"a\":\"\\\\\"}");
	}

	@Test
	void secretsAreReplacedRawAndAsTheyAppearInJson() {
		var scrub = StoredText.withoutSecrets(List.of("s3cr\"et-value"));
		assertThat(scrub.apply("key s3cr\"et-value here")).isEqualTo("key [redacted] here");
		assertThat(scrub.apply("{\"k\":\"s3cr\\\"et-value\"}")).isEqualTo("{\"k\":\"[redacted]\"}");
		assertThat(StoredText.withoutSecrets(List.of("short")).apply("short")).as("too short to search for")
			.isEqualTo("short");
	}

	@Test
	void secretsAreReplacedUrlEncodedAndLongestFirstToo() {
		var scrub = StoredText.withoutSecrets(List.of("key with/slash", "key with/slash-and-more"));
		assertThat(scrub.apply("GET /x?k=key+with%2Fslash")).isEqualTo("GET /x?k=[redacted]");
		assertThat(scrub.apply("key with/slash-and-more")).isEqualTo("[redacted]");
	}

}
