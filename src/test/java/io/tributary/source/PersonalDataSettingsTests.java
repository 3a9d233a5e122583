package io.tributary.source;

import java.util.List;

import io.tributary.hygiene.PersonalData;
import io.tributary.hygiene.PersonalData.Mode;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tributary.sources.<name>.personal-data} and {@code tributary.personal-data} as
 * the application binds and checks them at start-up.
 */
class PersonalDataSettingsTests {

	private static final String KEY = "a-hash-key-of-at-least-32-characters";

	private static final String GLOBAL_KEY = "the-global-hash-key-for-every-connection";

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(ConnectionsTests.Config.class);

	@Test
	void byDefaultPersonalDataIsKept() {
		this.context.withPropertyValues(zylon("zy")).withPropertyValues(greenflash("gf")).run((context) -> {
			assertThat(context).hasNotFailed();
			Connections connections = context.getBean(Connections.class);
			assertThat(connections.get("zy").personalData()).isSameAs(PersonalData.KEEP);
			assertThat(connections.get("gf").personalData()).isSameAs(PersonalData.KEEP);
		});
	}

	@Test
	void eachKindBringsItsKnownPersonalFieldsAndConfiguredOnesFollow() {
		this.context.withPropertyValues(zylon("zy"))
			.withPropertyValues(greenflash("gf"))
			.withPropertyValues("tributary.sources.zy.personal-data.mode=remove",
					"tributary.sources.gf.personal-data.mode=hash",
					"tributary.sources.gf.personal-data.hash-key=" + KEY,
					"tributary.sources.gf.personal-data.fields[0]=externalParticipantId",
					"tributary.sources.gf.personal-data.fields[1]=participant.externalId")
			.run((context) -> {
				Connections connections = context.getBean(Connections.class);
				PersonalData zylon = connections.get("zy").personalData();
				PersonalData greenflash = connections.get("gf").personalData();
				assertThat(zylon.mode()).isEqualTo(Mode.REMOVE);
				assertThat(zylon.paths()).containsExactly("created_by.email", "created_by.name",
						"created_by.profile_picture");
				assertThat(greenflash.mode()).isEqualTo(Mode.HASH);
				assertThat(greenflash.paths()).containsExactly("participant.email", "participant.name",
						"externalParticipantId", "participant.externalId");
			});
	}

	@Test
	void defaultFieldsFalseLeavesOnlyTheConfiguredPaths() {
		this.context.withPropertyValues(zylon("zy"))
			.withPropertyValues("tributary.sources.zy.personal-data.mode=remove",
					"tributary.sources.zy.personal-data.default-fields=false",
					"tributary.sources.zy.personal-data.fields=created_by.email")
			.run((context) -> assertThat(context.getBean(Connections.class).get("zy").personalData().paths())
				.containsExactly("created_by.email"));
	}

	@Test
	void theGlobalKeyServesConnectionsWithoutTheirOwnAndOneKeyHashesAlikeEverywhere() {
		this.context.withPropertyValues(zylon("zy"))
			.withPropertyValues(greenflash("gf"))
			.withPropertyValues(greenflash("gf-own"))
			.withPropertyValues("tributary.personal-data.hash-key=" + GLOBAL_KEY,
					"tributary.sources.zy.personal-data.mode=hash", "tributary.sources.gf.personal-data.mode=hash",
					"tributary.sources.gf-own.personal-data.mode=hash",
					"tributary.sources.gf-own.personal-data.hash-key=" + KEY)
			.run((context) -> {
				Connections connections = context.getBean(Connections.class);
				String zylon = connections.get("zy").personalData().hash("ana@example.com");
				assertThat(zylon).startsWith("hmac-sha256:")
					.isEqualTo(connections.get("gf").personalData().hash("ana@example.com"))
					.isNotEqualTo(connections.get("gf-own").personalData().hash("ana@example.com"));
			});
	}

	@Test
	void hashWithoutAKeyStopsTheStartNamingTheProperty() {
		assertStartFails(List.of(zylon("zy"), new String[] { "tributary.sources.zy.personal-data.mode=hash" }),
				"tributary.sources.zy.personal-data.hash-key is required for mode hash: a secret of at least 32 "
						+ "characters, set here or for every connection in tributary.personal-data.hash-key "
						+ "(connection 'zy')");
		assertStartFails(
				List.of(zylon("zy"), new String[] { "tributary.sources.zy.personal-data.mode=hash",
						"tributary.sources.zy.personal-data.hash-key=", "tributary.personal-data.hash-key=  " }),
				"tributary.sources.zy.personal-data.hash-key is required for mode hash");
	}

	@Test
	void aShortKeyStopsTheStartWithoutShowingIt() {
		String shortKey = "only-31-characters-long-secret!";
		assertThat(shortKey).hasSize(31);
		assertStartFails(
				List.of(zylon("zy"),
						new String[] { "tributary.sources.zy.personal-data.mode=hash",
								"tributary.sources.zy.personal-data.hash-key=" + shortKey }),
				"tributary.sources.zy.personal-data.hash-key must be at least 32 characters (connection 'zy')",
				shortKey);
		assertStartFails(List.of(zylon("zy"), new String[] { "tributary.personal-data.hash-key=" + shortKey }),
				"tributary.personal-data.hash-key must be at least 32 characters", shortKey);
	}

	@Test
	void aFieldThatIsNotAPathStopsTheStartNamingItsIndex() {
		assertStartFails(
				List.of(zylon("zy"),
						new String[] { "tributary.sources.zy.personal-data.mode=remove",
								"tributary.sources.zy.personal-data.fields[0]=created_by.job_position_name",
								"tributary.sources.zy.personal-data.fields[1]=created_by..email" }),
				"tributary.sources.zy.personal-data.fields[1] 'created_by..email' is not a field path: "
						+ "a name is missing at character 12; write names separated by '.'");
	}

	@Test
	void aFieldThatWouldTakeTheIdStopsTheStart() {
		assertStartFails(
				List.of(greenflash("gf"),
						new String[] { "tributary.sources.gf.personal-data.mode=remove",
								"tributary.sources.gf.personal-data.fields=**.id" }),
				"tributary.sources.gf.personal-data.fields[0] '**.id' would also match the item's id");
	}

	@Test
	void pathsAreCheckedEvenWhileTheModeIsKeep() {
		assertStartFails(List.of(zylon("zy"), new String[] { "tributary.sources.zy.personal-data.fields=e*" }),
				"tributary.sources.zy.personal-data.fields[0] 'e*' is not a field path");
	}

	@Test
	void redactingNothingStopsTheStart() {
		assertStartFails(List.of(flockx("fx"), new String[] { "tributary.sources.fx.personal-data.mode=remove" }),
				"tributary.sources.fx.personal-data.fields is empty and type flockx has no known personal fields: "
						+ "mode remove would change nothing; list the JSON paths to remove (connection 'fx')");
		assertStartFails(
				List.of(zylon("zy"),
						new String[] { "tributary.sources.zy.personal-data.mode=hash",
								"tributary.sources.zy.personal-data.hash-key=" + KEY,
								"tributary.sources.zy.personal-data.default-fields=false" }),
				"tributary.sources.zy.personal-data.fields is empty and default-fields is false: mode hash would "
						+ "change nothing");
		this.context.withPropertyValues(flockx("fx"))
			.withPropertyValues("tributary.sources.fx.personal-data.mode=hash",
					"tributary.sources.fx.personal-data.hash-key=" + KEY,
					"tributary.sources.fx.personal-data.fields=participant.user_id")
			.run((context) -> assertThat(context.getBean(Connections.class).get("fx").personalData().paths())
				.containsExactly("participant.user_id"));
	}

	@Test
	void anUnknownModeStopsTheStartNamingTheProperty() {
		assertStartFails(List.of(zylon("zy"), new String[] { "tributary.sources.zy.personal-data.mode=hashed" }),
				"tributary.sources.zy.personal-data.mode");
	}

	@Test
	void theKeyNeverShowsInTheBoundSettings() {
		var bound = TestConnections.bind("zy", "type", "zylon", "api-key", "k", "personal-data.mode", "hash",
				"personal-data.hash-key", KEY);

		assertThat(bound.sources().get("zy").personalData().hashKey()).isEqualTo(KEY);
		assertThat(bound.toString()).doesNotContain(KEY);
		assertThat(bound.sources().get("zy").personalData().toString()).doesNotContain(KEY).contains("HASH");
	}

	private static String[] zylon(String name) {
		String p = "tributary.sources." + name + ".";
		return new String[] { p + "type=zylon", p + "api-key=k", p + "base-url=https://z.example.com/api/v1",
				p + "zylon.org=acme", p + "zylon.project-ids=p1" };
	}

	private static String[] greenflash(String name) {
		String p = "tributary.sources." + name + ".";
		return new String[] { p + "type=greenflash", p + "api-key=k" };
	}

	private static String[] flockx(String name) {
		String p = "tributary.sources." + name + ".";
		return new String[] { p + "type=flockx", p + "api-key=k" };
	}

	private void assertStartFails(List<String[]> properties, String message) {
		assertStartFails(properties, message, null);
	}

	private void assertStartFails(List<String[]> properties, String message, String neverShown) {
		ApplicationContextRunner runner = this.context;
		for (String[] values : properties) {
			runner = runner.withPropertyValues(values);
		}
		runner.run((context) -> {
			assertThat(context).hasFailed();
			StringBuilder messages = new StringBuilder();
			for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
				messages.append(cause.getMessage()).append('\n');
			}
			assertThat(messages.toString()).contains(message);
			if (neverShown != null) {
				assertThat(messages.toString()).doesNotContain(neverShown);
			}
		});
	}

}
