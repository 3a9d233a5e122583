package io.tributary.source;

import java.time.Duration;

import io.tributary.interaction.SourceKind;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.tributary.source.TestConnections.connection;
import static org.assertj.core.api.Assertions.assertThat;

class SourcesPropertiesTests {

	private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Config.class);

	@Test
	void defaultsFollowTheConfigContract() {
		var greenflash = connection("gf", "type", "greenflash", "api-key", "k");

		assertThat(greenflash.type()).isEqualTo(SourceKind.GREENFLASH);
		assertThat(greenflash.effectiveBaseUrl()).hasToString("https://www.greenflash.ai/api/v1");
		assertThat(greenflash.enabled()).isTrue();
		assertThat(greenflash.pollInterval()).isEqualTo(Duration.ofMinutes(5));
		assertThat(greenflash.fullSyncInterval()).isEqualTo(Duration.ofHours(24));
		assertThat(greenflash.pageSize()).isEqualTo(100);
		assertThat(greenflash.overlap()).isEqualTo(Duration.ofMinutes(10));
		assertThat(greenflash.greenflash().fetchMessages()).isTrue();
		assertThat(connection("fx", "type", "flockx", "api-key", "k").effectiveBaseUrl())
			.hasToString("https://api.flockx.io/api/v1");
		assertThat(connection("fx", "type", "flockx", "api-key", "k").flockx().authScheme()).isEqualTo("Token");
		assertThat(connection("fx", "type", "flockx", "api-key", "k").flockx().includeIncomplete()).isTrue();
		var zylon = connection("zy", "type", "zylon", "api-key", "k", "base-url", "https://z.example.com/api/v1/",
				"zylon.org", "acme", "zylon.project-ids", "p1,p2");
		assertThat(zylon.zylon().projectIds()).containsExactly("p1", "p2");
		assertThat(zylon.zylon().apiVariant()).isEqualTo(SourcesProperties.ZylonApiVariant.AUTO);
		assertThat(zylon.effectiveBaseUrl()).hasToString("https://z.example.com/api/v1");
	}

	@Test
	void theApiKeyNeverShowsInToString() {
		assertThat(connection("gf", "type", "greenflash", "api-key", "super-secret").toString())
			.doesNotContain("super-secret");
	}

	@Test
	void unknownTypeStopsTheStartNamingConnectionAndField() {
		assertStartFails("tributary.sources.crm.type=slack", "tributary.sources.crm.type");
	}

	@Test
	void missingApiKeyStopsTheStart() {
		assertStartFails("tributary.sources.gf-prod.type=greenflash",
				"tributary.sources.gf-prod.api-key is required (connection 'gf-prod')");
	}

	@Test
	void zylonWithoutOrgOrProjectsStopsTheStart() {
		assertStartFails(new String[] { "tributary.sources.zy.type=zylon", "tributary.sources.zy.api-key=k",
				"tributary.sources.zy.base-url=https://z.example.com/api/v1",
				"tributary.sources.zy.zylon.project-ids=p1" }, "tributary.sources.zy.zylon.org is required");
		assertStartFails(new String[] { "tributary.sources.zy.type=zylon", "tributary.sources.zy.api-key=k",
				"tributary.sources.zy.base-url=https://z.example.com/api/v1", "tributary.sources.zy.zylon.org=acme" },
				"tributary.sources.zy.zylon.project-ids needs one or more project ids");
		assertStartFails(
				new String[] { "tributary.sources.zy.type=zylon", "tributary.sources.zy.api-key=k",
						"tributary.sources.zy.zylon.org=acme", "tributary.sources.zy.zylon.project-ids=p1" },
				"tributary.sources.zy.base-url is required for type zylon");
	}

	@Test
	void malformedBaseUrlStopsTheStart() {
		assertStartFails(
				new String[] { "tributary.sources.fx.type=flockx", "tributary.sources.fx.api-key=k",
						"tributary.sources.fx.base-url=api.flockx.io/api/v1" },
				"tributary.sources.fx.base-url 'api.flockx.io/api/v1' is not an http(s) URL with a host (connection 'fx')");
	}

	@Test
	void credentialsInTheBaseUrlStopTheStart() {
		assertStartFails(
				new String[] { "tributary.sources.fx.type=flockx", "tributary.sources.fx.api-key=k",
						"tributary.sources.fx.base-url=https://me:secret@api.flockx.io/api/v1" },
				"tributary.sources.fx.base-url must not carry credentials");
	}

	@Test
	void badConnectionNameStopsTheStart() {
		assertStartFails(
				new String[] { "tributary.sources.Bad_Name.type=flockx", "tributary.sources.Bad_Name.api-key=k" },
				"lowercase letters, digits and '-'");
	}

	private void assertStartFails(String property, String message) {
		assertStartFails(new String[] { property }, message);
	}

	private void assertStartFails(String[] properties, String message) {
		this.context.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			StringBuilder messages = new StringBuilder();
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				messages.append(cause.getMessage()).append('\n');
			}
			assertThat(messages.toString()).contains(message);
		});
	}

	@EnableConfigurationProperties(SourcesProperties.class)
	static class Config {

	}

}
