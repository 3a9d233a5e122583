package io.tributary.hygiene;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known secret values are found in every form text may hold them in, and only values long
 * enough to tell from ordinary text are searched for.
 */
class KnownSecretsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void aValueIsReplacedAsItIsJsonEscapedOrUrlEncoded() {
		String secret = "se\"cret/with spaces&more\\and\ttab\u001f";
		KnownSecrets known = KnownSecrets.of(List.of(secret));
		String jackson = JSON.writeValueAsString(secret);
		assertThat(known.replace("a " + secret + " b")).isEqualTo("a [redacted] b");
		assertThat(known.replace("{\"k\":" + jackson + "}")).isEqualTo("{\"k\":\"[redacted]\"}");
		assertThat(known.replace("se\\\"cret/with spaces&more\\\\and\\u0009tab\\u001f"))
			.as("every control character as a lower-case \\u escape")
			.isEqualTo("[redacted]");
		assertThat(known.replace("se\\\"cret/with spaces&more\\\\and\\u0009tab\\u001F")).as("and as an upper-case one")
			.isEqualTo("[redacted]");
		assertThat(known.replace("q=se%22cret%2Fwith+spaces%26more%5Cand%09tab%1F")).isEqualTo("q=[redacted]");
		assertThat(known.replace("q=se%22cret%2Fwith%20spaces%26more%5Cand%09tab%1F")).isEqualTo("q=[redacted]");
	}

	@Test
	void aSecretHoldingAnotherIsReplacedWhole() {
		KnownSecrets known = KnownSecrets.of(List.of("inner-secret", "outer-inner-secret-tail"));
		assertThat(known.replace("x outer-inner-secret-tail y inner-secret")).isEqualTo("x [redacted] y [redacted]");
	}

	@Test
	void valuesShorterThanEightCharactersOnceStrippedAreNotSearchedFor() {
		KnownSecrets known = KnownSecrets.of(Arrays.asList("short", "   pad    ", null));
		assertThat(known.isEmpty()).isTrue();
		assertThat(known.replace("short and   pad    ")).isEqualTo("short and   pad    ");
		assertThat(KnownSecrets.isSearchable("12345678")).isTrue();
		assertThat(KnownSecrets.isSearchable(" 1234567 ")).isFalse();
	}

	@Test
	void textWithoutSecretsIsReturnedAsItIs() {
		String text = "nothing to see here";
		assertThat(KnownSecrets.of(List.of("a-long-secret")).replace(text)).isSameAs(text);
		assertThat(KnownSecrets.none().replace(text)).isSameAs(text);
		assertThat(KnownSecrets.none().replace(null)).isNull();
	}

}
