package io.tributary.source;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base URL the status API and start-up messages show: never user info, query or
 * fragment, which may carry credentials.
 */
class ShownBaseUrlTests {

	@Test
	void userInfoQueryAndFragmentAreLeftOut() {
		assertThat(SourcesProperties.shown(URI.create("https://user:pass@host/api/v1?token=abc")))
			.isEqualTo("https://host/api/v1");
		assertThat(SourcesProperties.shown(URI.create("http://me@zylon.acme.com:8443/api/v1#access_token=x")))
			.isEqualTo("http://zylon.acme.com:8443/api/v1");
		assertThat(SourcesProperties.shown(URI.create("http://[::1]:9000/a%20b/api/v1?k=v")))
			.isEqualTo("http://[::1]:9000/a%20b/api/v1");
	}

	@Test
	void aPlainBaseUrlIsShownAsItIs() {
		assertThat(SourcesProperties.shown(URI.create("https://www.greenflash.ai/api/v1")))
			.isEqualTo("https://www.greenflash.ai/api/v1");
	}

	@Test
	void somethingThatIsNoUrlLosesWhatMayFollowAnAtSignOrAQuestionMark() {
		assertThat(SourcesProperties.shown(URI.create("me:secret@api.flockx.io/api/v1?token=abc")))
			.isEqualTo("api.flockx.io/api/v1");
		assertThat(SourcesProperties.shown(URI.create("api.flockx.io/api/v1"))).isEqualTo("api.flockx.io/api/v1");
	}

	@Test
	void theConnectionsTextNeverShowsTheKeyOrTheQuery() {
		SourcesProperties.Connection connection = TestConnections.connection("c", "type", "flockx", "api-key",
				"key-0123456789", "base-url", "https://host/api/v1?token=abc");
		assertThat(connection.toString()).contains("https://host/api/v1").doesNotContain("abc", "key-0123456789");
	}

}
