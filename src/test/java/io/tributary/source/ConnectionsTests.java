package io.tributary.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.web.reactive.function.client.WebClient;

import static io.tributary.source.TestConnections.connection;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection contract as the application checks it at start-up: the shared settings,
 * the registered kinds, their default base URLs and their own settings.
 */
class ConnectionsTests {

	private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Config.class);

	@Test
	void sharedDefaultsFollowTheConfigContract() {
		var greenflash = connection("gf", "type", "greenflash", "api-key", "k");

		assertThat(greenflash.type()).isEqualTo(SourceKind.of("greenflash"));
		assertThat(greenflash.enabled()).isTrue();
		assertThat(greenflash.pollInterval()).isEqualTo(Duration.ofMinutes(5));
		assertThat(greenflash.fullSyncInterval()).isEqualTo(Duration.ofHours(24));
		assertThat(greenflash.pageSize()).isEqualTo(100);
		assertThat(greenflash.overlap()).isEqualTo(Duration.ofMinutes(10));
		assertThat(greenflash.timeZone()).isEqualTo(java.time.ZoneId.of("UTC"));
	}

	@Test
	void theZoneOfTimesWithoutOneIsARegionOrAnOffset() {
		assertThat(connection("zy", "type", "zylon", "api-key", "k", "time-zone", "Europe/Berlin").timeZone())
			.isEqualTo(java.time.ZoneId.of("Europe/Berlin"));
		assertThat(connection("zy", "type", "zylon", "api-key", "k", "time-zone", "+05:30").timeZone())
			.isEqualTo(java.time.ZoneId.of("+05:30"));
	}

	@Test
	void everyRegisteredKindIsKnownAndTheBaseUrlDefaultsToItsPublicHost() {
		this.context.withPropertyValues("tributary.sources.gf.type=greenflash", "tributary.sources.gf.api-key=k",
				"tributary.sources.fx.type=flockx", "tributary.sources.fx.api-key=k", "tributary.sources.zy.type=zylon",
				"tributary.sources.zy.api-key=k", "tributary.sources.zy.base-url=https://z.example.com/api/v1/",
				"tributary.sources.zy.zylon.org=acme", "tributary.sources.zy.zylon.project-ids=p1,p2")
			.run((context) -> {
				Connections connections = context.getBean(Connections.class);
				assertThat(connections.names()).containsExactlyElementsOf(context.getBeansOfType(SourceConnector.class)
					.values()
					.stream()
					.map((c) -> c.kind().name())
					.sorted()
					.toList());
				assertThat(connections.get("gf").connection().baseUrl())
					.hasToString("https://www.greenflash.ai/api/v1");
				assertThat(connections.get("fx").connection().baseUrl()).hasToString("https://api.flockx.io/api/v1");
				assertThat(connections.get("zy").connection().baseUrl()).hasToString("https://z.example.com/api/v1");
			});
	}

	@Test
	void theApiKeyNeverShowsInToString() {
		assertThat(connection("gf", "type", "greenflash", "api-key", "super-secret").toString())
			.doesNotContain("super-secret");
	}

	@Test
	void unknownTypeStopsTheStartNamingConnectionFieldAndTheRegisteredKinds() {
		List<String> kinds = new ArrayList<>();
		this.context.run((context) -> context.getBeansOfType(SourceConnector.class)
			.values()
			.forEach((connector) -> kinds.add(connector.kind().name())));
		assertThat(kinds).isNotEmpty();
		assertStartFails(new String[] { "tributary.sources.crm.type=slack", "tributary.sources.crm.api-key=k" },
				"tributary.sources.crm.type 'slack' is not a known kind: one of "
						+ String.join(", ", kinds.stream().sorted().toList()) + " (connection 'crm')");
		assertStartFails("tributary.sources.crm.api-key=k", "tributary.sources.crm.type is required");
		assertStartFails("tributary.sources.crm.type=Not_A_Kind", "tributary.sources.crm.type");
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
	void aKindRefusesItsOwnBadSettings() {
		assertStartFails(
				new String[] { "tributary.sources.gf.type=greenflash", "tributary.sources.gf.api-key=k",
						"tributary.sources.gf.greenflash.fetch-concurrency=0" },
				"tributary.sources.gf.greenflash.fetch-concurrency must be 1..64, was 0 (connection 'gf')");
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

	/**
	 * The source package as the application wires it, with what it needs from outside.
	 */
	@EnableConfigurationProperties(SourcesProperties.class)
	@ComponentScan("io.tributary.source")
	static class Config {

		@Bean
		WebClient.Builder webClientBuilder() {
			return WebClient.builder();
		}

		@Bean
		JsonMapper jsonMapper() {
			return JsonMapper.builder().build();
		}

		@Bean
		KnownVersions knownVersions() {
			return (String connection, Collection<String> ids) -> Map.of();
		}

	}

}
