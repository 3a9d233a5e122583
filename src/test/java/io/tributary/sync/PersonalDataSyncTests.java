package io.tributary.sync;

import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.hygiene.PersonalData;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Personal data at ingest, per kind, through whole sync runs into PostgreSQL: a
 * connection configured to remove or hash personal fields stores none of them anywhere
 * (columns, messages, attributes, raw, the quarantine) nor logs them, and one person's
 * items carry one hash. The same upstream read by a connection that keeps personal data
 * shows that the searches would find them.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataSyncTests {

	private static final String KEY = "personal-data-test-key-0123456789abcdef";

	private static final String EMAIL = "ana.lopez@example.com";

	private static final String NAME = "Ana Lopez-Personal";

	private static final String PICTURE = "https://z.example.com/avatars/ana-lopez.png";

	private static final String CUSTOMER_USER_ID = "cust-4711";

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private JsonMapper json;

	private final PersonalData hashing = PersonalData.of(PersonalData.Mode.HASH, KEY, List.of("x"));

	private static int counter;

	private String suffix;

	@BeforeEach
	void fresh() {
		this.suffix = "-" + (++counter);
	}

	@Test
	void greenflashStoresParticipantEmailNameAndTheConfiguredUserIdOnlyAsHashes(CapturedOutput output) {
		stubGreenflash();
		String name = "pii-greenflash" + this.suffix;

		SyncRun run = run("greenflash", name, "personal-data.mode", "hash", "personal-data.hash-key", KEY,
				"personal-data.fields[0]", "externalParticipantId", "personal-data.fields[1]",
				"participant.externalId");

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.inserted()).isEqualTo(2);
		assertThat(run.rejected()).isEqualTo(2);
		assertNothingPersonal(name, output, EMAIL, NAME, CUSTOMER_USER_ID);
		assertThat(column(name, "g-1", "participant_external_id")).isEqualTo(hash(CUSTOMER_USER_ID))
			.isEqualTo(column(name, "g-2", "participant_external_id"));
		assertThat(raw(name, "g-1").at("/participant/email").asString()).as("e-mail case does not matter")
			.isEqualTo(hash(EMAIL))
			.isEqualTo(raw(name, "g-2").at("/participant/email").asString());
		assertThat(raw(name, "g-1").at("/participant/name").asString()).isEqualTo(hash(NAME));
		assertThat(raw(name, "g-1").at("/participant/id").asString()).as("Greenflash's own id is no personal field")
			.isEqualTo("p-1");
		assertThat(column(name, "g-1", "input_text")).isEqualTo("How do I export my data?");
		assertThat(reject(name, "g-3").at("/externalParticipantId").asString()).isEqualTo(hash(CUSTOMER_USER_ID));
		assertThat(reject(name, "g-3").at("/participant/email").asString()).isEqualTo(hash(EMAIL));
		assertThat(reject(name, "g-4").at("/participant/email").asString()).isEqualTo(hash(EMAIL));

		String control = "pii-greenflash-kept" + this.suffix;
		run("greenflash", control);
		assertThat(rows(control)).anySatisfy((row) -> assertThat(row).containsIgnoringCase(EMAIL).contains(NAME));
		assertThat(rejects(control)).anySatisfy((row) -> assertThat(row).contains(EMAIL));
	}

	@Test
	void greenflashKeepsTheCustomersUserIdUnlessItIsListed() {
		stubGreenflash();
		String name = "pii-greenflash-defaults" + this.suffix;

		run("greenflash", name, "personal-data.mode", "remove");

		assertThat(column(name, "g-1", "participant_external_id")).isEqualTo(CUSTOMER_USER_ID);
		assertThat(raw(name, "g-1").get("participant").toString())
			.isEqualTo("{\"id\":\"p-1\",\"externalId\":\"" + CUSTOMER_USER_ID + "\"}");
		assertThat(rows(name))
			.allSatisfy((row) -> assertThat(row).doesNotContainIgnoringCase(EMAIL).doesNotContain(NAME));
	}

	@Test
	void zylonStoresTheAuthorsEmailNameAndPictureOnlyAsHashes(CapturedOutput output) {
		stubZylon();
		String name = "pii-zylon" + this.suffix;

		SyncRun run = run("zylon", name, "personal-data.mode", "hash", "personal-data.hash-key", KEY);

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.inserted()).isEqualTo(2);
		assertThat(run.rejected()).isEqualTo(1);
		assertNothingPersonal(name, output, EMAIL, NAME, PICTURE);
		assertThat(raw(name, "z-1").at("/created_by/email").asString()).isEqualTo(hash(EMAIL))
			.isEqualTo(raw(name, "z-2").at("/created_by/email").asString());
		assertThat(raw(name, "z-1").at("/created_by/profile_picture").asString()).isEqualTo(hash(PICTURE));
		assertThat(column(name, "z-1", "participant_id")).as("ids are kept unless listed").isEqualTo("usr-9");
		assertThat(reject(name, "z-3").at("/created_by/name").asString()).isEqualTo(hash(NAME));

		String control = "pii-zylon-kept" + this.suffix;
		run("zylon", control);
		assertThat(rows(control)).allSatisfy((row) -> assertThat(row).contains(EMAIL, NAME, PICTURE));
		assertThat(rejects(control)).singleElement().satisfies((row) -> assertThat(row).contains(EMAIL));
	}

	@Test
	void zylonFeedbackBodiesGoThroughTheRuleToo(CapturedOutput output) {
		stubZylon();
		upstream.stubFor(get(urlPathMatching("/api/v1/app/feedback/.*"))
			.willReturn(okJson("{\"rating\": 4, \"comment\": \"fine\", \"author\": {\"email\": \"" + EMAIL + "\"}}")));
		String name = "pii-zylon-feedback" + this.suffix;

		SyncRun run = run("zylon", name, "zylon.fetch-feedback", "true", "personal-data.mode", "hash",
				"personal-data.hash-key", KEY, "personal-data.fields", "**.email");

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(raw(name, "z-1").at("/_tributary_feedback/author/email").asString()).isEqualTo(hash(EMAIL));
		assertThat(raw(name, "z-1").at("/created_by/email").asString()).as("the listed item's, hashed once")
			.isEqualTo(hash(EMAIL));
		assertThat(rows(name)).allSatisfy((row) -> assertThat(row).doesNotContainIgnoringCase(EMAIL));
	}

	@Test
	void aValueThatLooksLikeAnotherPersonsHashIsHashedLikeAnyOther() {
		String victim = hash(CUSTOMER_USER_ID);
		String listed = """
				{"id": "%s", "externalParticipantId": "%s", "createdAt": "%s", "updatedAt": "%s"}""";
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).atPriority(10).willReturn(okJson("[]")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson("["
					+ listed.formatted("g-own", CUSTOMER_USER_ID, "2026-11-20T10:00:00Z", "2026-11-20T10:00:00Z") + ","
					// another user sends the first one's hash as their own id
					+ listed.formatted("g-posing", victim, "2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z") + "]")));
		String name = "pii-posing" + this.suffix;
		String[] settings = { "greenflash.fetch-messages", "false", "personal-data.mode", "hash",
				"personal-data.hash-key", KEY, "personal-data.fields", "externalParticipantId" };

		assertThat(run("greenflash", name, settings).outcome()).isEqualTo("succeeded");

		assertThat(column(name, "g-own", "participant_external_id")).as("hashed once").isEqualTo(victim);
		assertThat(column(name, "g-posing", "participant_external_id")).isEqualTo(hash(victim)).isNotEqualTo(victim);
		assertThat(raw(name, "g-posing").get("externalParticipantId").asString()).isEqualTo(hash(victim));

		// renormalization hashes nothing twice
		this.jdbc.sql("UPDATE interaction SET mapper_version = 0 WHERE connection = ?").param(name).update();
		assertThat(this.syncs.at(upstream, "greenflash", "pii-test-api-key", settings)
			.run(name, SyncMode.RENORMALIZE)
			.outcome()).isEqualTo("succeeded");
		assertThat(column(name, "g-own", "participant_external_id")).isEqualTo(victim);
		assertThat(column(name, "g-posing", "participant_external_id")).isEqualTo(hash(victim));
	}

	@Test
	void renormalizationAppliesTheRuleToWhatWasStoredBeforeIt(CapturedOutput output) {
		stubZylon();
		String name = "pii-zylon-later" + this.suffix;
		run("zylon", name);
		assertThat(raw(name, "z-1").at("/created_by/email").asString()).as("kept: no rule yet").isEqualTo(EMAIL);
		this.jdbc.sql("UPDATE interaction SET mapper_version = 1 WHERE connection = ?").param(name).update();

		SyncRun remapped = this.syncs
			.at(upstream, "zylon", "pii-test-api-key", "zylon.org", "acme", "zylon.project-ids", "p1",
					"personal-data.mode", "hash", "personal-data.hash-key", KEY)
			.run(name, SyncMode.RENORMALIZE);

		assertThat(remapped.outcome()).isEqualTo("succeeded");
		assertThat(raw(name, "z-1").at("/created_by/email").asString()).isEqualTo(hash(EMAIL));
		assertThat(rows(name)).allSatisfy((row) -> assertThat(row).doesNotContainIgnoringCase(EMAIL));
	}

	@Test
	void zylonRemovesTheAuthorsPersonalFields(CapturedOutput output) {
		stubZylon();
		String name = "pii-zylon-removed" + this.suffix;

		run("zylon", name, "personal-data.mode", "remove", "personal-data.fields", "created_by.job_position_name");

		assertNothingPersonal(name, output, EMAIL, NAME, PICTURE, "Support lead");
		assertThat(raw(name, "z-1").get("created_by").toString())
			.isEqualTo("{\"id\":\"usr-9\",\"org_id\":\"org-acme\",\"account_id\":\"acct-9\"}");
		assertThat(reject(name, "z-3").get("created_by").toString())
			.isEqualTo("{\"id\":\"usr-9\",\"org_id\":\"org-acme\",\"account_id\":\"acct-9\"}");
	}

	@Test
	void flockxHashesTheConfiguredParticipantAndMetadataFields(CapturedOutput output) {
		stubFlockx();
		String name = "pii-flockx" + this.suffix;

		SyncRun run = run("flockx", name, "personal-data.mode", "hash", "personal-data.hash-key", KEY,
				"personal-data.fields", "participant.user_id, **.email, metadata.user.display_name");

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.inserted()).isEqualTo(2);
		assertThat(run.rejected()).isEqualTo(1);
		assertNothingPersonal(name, output, EMAIL, NAME, "flockx-user-77");
		assertThat(column(name, "f-1", "participant_id")).isEqualTo(hash("flockx-user-77"))
			.isEqualTo(column(name, "f-2", "participant_id"));
		assertThat(raw(name, "f-2").at("/metadata/user/email").asString()).isEqualTo(hash(EMAIL));
		assertThat(raw(name, "f-1").at("/metadata/model").asString()).isEqualTo("gpt-4o");
		assertThat(reject(name, "f-3").at("/participant/user_id").asString()).isEqualTo(hash("flockx-user-77"));

		String control = "pii-flockx-kept" + this.suffix;
		run("flockx", control);
		assertThat(rows(control)).allSatisfy((row) -> assertThat(row).contains(EMAIL, NAME, "flockx-user-77"));
	}

	/**
	 * Every stored row and quarantined item of the connection, and everything logged so
	 * far, searched as text.
	 */
	private void assertNothingPersonal(String connection, CapturedOutput output, String... values) {
		List<String> rows = rows(connection);
		List<String> rejects = rejects(connection);
		assertThat(rows).isNotEmpty();
		assertThat(rejects).isNotEmpty();
		for (String value : values) {
			assertThat(rows).as("stored rows").allSatisfy((row) -> assertThat(row).doesNotContainIgnoringCase(value));
			assertThat(rejects).as("quarantine").allSatisfy((row) -> assertThat(row).doesNotContainIgnoringCase(value));
			assertThat(output.getAll()).as("log").doesNotContainIgnoringCase(value);
		}
		assertThat(String.join("\n", rows) + String.join("\n", rejects)).doesNotContain(KEY);
	}

	private List<String> rows(String connection) {
		return this.jdbc.sql("SELECT i::text FROM interaction i WHERE connection = ?")
			.param(connection)
			.query(String.class)
			.list();
	}

	private List<String> rejects(String connection) {
		return this.jdbc.sql("SELECT r::text FROM sync_reject r WHERE connection = ?")
			.param(connection)
			.query(String.class)
			.list();
	}

	private String column(String connection, String sourceId, String column) {
		return this.jdbc.sql("SELECT " + column + " FROM interaction WHERE connection = ? AND source_id = ?")
			.param(connection)
			.param(sourceId)
			.query(String.class)
			.single();
	}

	private JsonNode raw(String connection, String sourceId) {
		return this.json.readTree(column(connection, sourceId, "raw"));
	}

	private JsonNode reject(String connection, String sourceId) {
		return this.json
			.readTree(this.jdbc.sql("SELECT payload::text FROM sync_reject WHERE connection = ? AND source_id = ?")
				.param(connection)
				.param(sourceId)
				.query(String.class)
				.single());
	}

	private String hash(String value) {
		return this.hashing.hash(value);
	}

	private SyncRun run(String kind, String name, String... settings) {
		SyncRuns.Connection connection = this.syncs.at(upstream, kind, "pii-test-api-key");
		if (kind.equals("zylon")) {
			connection = connection.with("zylon.org", "acme", "zylon.project-ids", "p1", "zylon.api-variant",
					"project");
		}
		return connection.run(name, SyncMode.FULL, settings);
	}

	private void stubGreenflash() {
		String listed = """
				{"id": "%s", "participantId": "p-1", "externalParticipantId": "%s", "productId": "prod-1",
				 "createdAt": "%s", "updatedAt": "%s", "properties": {"channel": "web"}}""";
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).atPriority(10).willReturn(okJson("[]")));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson("["
					+ listed.formatted("g-1", CUSTOMER_USER_ID, "2026-11-20T10:00:00Z", "2026-11-20T10:00:00Z") + ","
					+ listed.formatted("g-2", CUSTOMER_USER_ID, "2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z")
					// unreadable at the list: quarantined as listed
					+ ",{\"id\": \"g-3\", \"externalParticipantId\": \"" + CUSTOMER_USER_ID
					+ "\", \"createdAt\": \"the other day\", \"participant\": {\"email\": \"" + EMAIL + "\"}},"
					+ listed.formatted("g-4", CUSTOMER_USER_ID, "2026-11-20T08:00:00Z", "2026-11-20T08:00:00Z")
					+ "]")));
		String detail = """
				{"id": "%s", "participantId": "p-1", "externalParticipantId": "%s", "productId": "prod-1",
				 "createdAt": "%s", "updatedAt": "%s", "properties": {"channel": "web"},
				 "participant": {"id": "p-1", "email": "%s", "externalId": "%s", "name": "%s"},
				 "messages": %s}""";
		String messages = """
				[{"role": "user", "content": "How do I export my data?"},
				 {"role": "assistant", "content": "Settings, then Export."}]""";
		upstream.stubFor(get("/api/v1/interactions/g-1").willReturn(okJson(detail.formatted("g-1", CUSTOMER_USER_ID,
				"2026-11-20T10:00:00Z", "2026-11-20T10:00:00Z", EMAIL, CUSTOMER_USER_ID, NAME, messages))));
		upstream.stubFor(get("/api/v1/interactions/g-2")
			.willReturn(okJson(detail.formatted("g-2", CUSTOMER_USER_ID, "2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z",
					EMAIL.toUpperCase(), CUSTOMER_USER_ID, NAME, messages))));
		// unreadable in its detail: quarantined with the detail's participant
		upstream.stubFor(get("/api/v1/interactions/g-4").willReturn(okJson(detail.formatted("g-4", CUSTOMER_USER_ID,
				"2026-11-20T08:00:00Z", "2026-11-20T08:00:00Z", EMAIL, CUSTOMER_USER_ID, NAME, "\"not a list\""))));
	}

	private void stubZylon() {
		String item = """
				{"id": "%s", "project_id": "p1", "thread_id": "thr-1", "state": "Completed",
				 "user_input": {"role": "user", "content": [{"type": "text", "data": "Where is my invoice?"}]},
				 "assistant_output": {"model": "qwen", "stop_reason": "stop",
				   "content": [{"type": "text", "data": "Under Billing."}],
				   "usage": {"input_tokens": 3, "output_tokens": 4}},
				 "created_at": "%s",
				 "created_by": {"id": "usr-9", "org_id": "org-acme", "account_id": "acct-9",
				   "profile_picture": "%s", "name": "%s", "email": "%s",
				   "job_position_name": "Support lead"}}""";
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/project/p1/interaction"))
			.willReturn(okJson("{\"data\": [" + item.formatted("z-1", "2026-11-20T10:00:00Z", PICTURE, NAME, EMAIL)
					+ "," + item.formatted("z-2", "2026-11-20T09:00:00Z", PICTURE, NAME, EMAIL) + ","
					+ item.formatted("z-3", "not a time", PICTURE, NAME, EMAIL)
					+ "], \"has_next_page\": false, \"has_previous_page\": false}")));
	}

	private void stubFlockx() {
		String item = """
				{"id": "%s", "created_at": "%s", "channel_id": "ch-1",
				 "participant": {"type": "user", "user_id": "flockx-user-77"},
				 "content": [{"type": "text", "text": "Book a table for two"}], "content_role": "user_message",
				 "complete": true, "interaction_id": "turn-1",
				 "metadata": {"model": "gpt-4o", "user": {"email": "%s", "display_name": "%s"}}}""";
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions"))
			.willReturn(okJson("{\"items\": [" + item.formatted("f-1", "2026-11-20T10:00:00Z", EMAIL, NAME) + ","
					+ item.formatted("f-2", "2026-11-20T09:00:00Z", EMAIL, NAME) + ","
					+ item.formatted("f-3", "sometime", EMAIL, NAME) + "], \"meta\": {\"has_next\": false}}")));
	}

}
