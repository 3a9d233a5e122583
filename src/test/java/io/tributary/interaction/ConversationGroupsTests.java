package io.tributary.interaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tributary.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threads and people on real PostgreSQL: grouping, order, keyset pages, one thread's and
 * one person's interactions, across sources.
 */
@IntegrationTest
class ConversationGroupsTests {

	/** A range no other test writes in: the lists here are not filtered by connection. */
	private static final String RANGE_FROM = "2031-01-01";

	private static final String RANGE_TO = "2031-02-01";

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	private Api api;

	@BeforeEach
	void conversations() {
		Interactions.deleteAll(this.jdbc);
		this.api = new Api(this.mvc, this.json);
		List<NormalizedInteraction> rows = new ArrayList<>();
		rows.add(item("zylon", "conv-zylon", "z1", "t1", "user-1", "2031-01-10T10:00:00Z", "gpt-a", 100L));
		rows.add(item("zylon", "conv-zylon", "z2", "t1", "user-1", "2031-01-10T10:01:00Z", "gpt-b", 200L));
		rows.add(item("zylon", "conv-zylon", "z3", "t1", "user-1", "2031-01-10T10:02:00Z", "gpt-a", 300L));
		rows.add(item("zylon", "conv-zylon", "z4", "t|2%7C", "user|2", "2031-01-12T09:00:00Z", "gpt-a", 10L));
		rows.add(item("greenflash", "conv-gf", "g1", "g-thread", "user-1", "2031-01-11T08:00:00Z", "gpt-c", 1L));
		rows.add(item("greenflash", "conv-gf", "g2", "g-thread", "user-1", "2031-01-11T08:05:00Z", "gpt-c", 2L));
		this.writer.write(rows, List.of());
	}

	@Test
	void threadsAreListedMostRecentlyActiveFirstWithTheirMetrics() {
		JsonNode page = this.api.get("/api/v1/threads", "createdFrom", RANGE_FROM, "createdTo", RANGE_TO).body();

		assertThat(page.get("items")).extracting((thread) -> thread.get("threadId").asString())
			.containsExactly("t|2%7C", "g-thread", "t1");
		JsonNode t1 = page.get("items").get(2);
		assertThat(t1.get("connection").asString()).isEqualTo("conv-zylon");
		assertThat(t1.get("source").asString()).isEqualTo("zylon");
		assertThat(t1.get("turns").asLong()).isEqualTo(3);
		assertThat(t1.get("firstAt").asString()).isEqualTo("2031-01-10T10:00:00Z");
		assertThat(t1.get("lastAt").asString()).isEqualTo("2031-01-10T10:02:00Z");
		assertThat(t1.get("participant").asString()).isEqualTo("user-1");
		assertThat(t1.get("models").toString()).isEqualTo("[\"gpt-a\",\"gpt-b\"]");
		assertThat(t1.get("outputTokens").asLong()).isEqualTo(1200);
		assertThat(page.has("freshness")).isTrue();

		assertThat(this.api
			.get("/api/v1/threads", "createdFrom", RANGE_FROM, "createdTo", RANGE_TO, "source", "zylon", "participant",
					"user-1")
			.body()
			.get("items")).extracting((thread) -> thread.get("threadId").asString()).containsExactly("t1");
	}

	@Test
	void keysetPagesWalkEveryThreadOnce() {
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = (cursor == null)
					? this.api.get("/api/v1/threads", "createdFrom", RANGE_FROM, "createdTo", RANGE_TO, "limit", "1")
						.body()
					: this.api
						.get("/api/v1/threads", "createdFrom", RANGE_FROM, "createdTo", RANGE_TO, "limit", "1",
								"cursor", cursor)
						.body();
			page.get("items").forEach((thread) -> seen.add(thread.get("threadId").asString()));
			cursor = page.at("/page/nextCursor").isNull() ? null : page.at("/page/nextCursor").asString();
		}
		while (cursor != null);
		assertThat(seen).containsExactly("t|2%7C", "g-thread", "t1");

		String first = this.api.get("/api/v1/threads", "createdFrom", RANGE_FROM, "createdTo", RANGE_TO, "limit", "1")
			.body()
			.at("/page/nextCursor")
			.asString();
		var other = this.api.get("/api/v1/threads", "createdFrom", RANGE_FROM, "limit", "1", "cursor", first);
		assertThat(other.status()).as("a cursor of other filters").isEqualTo(400);
		assertThat(other.body().get("parameter").asString()).isEqualTo("cursor");
		assertThat(this.api
			.get("/api/v1/threads", "createdFrom", RANGE_FROM, "createdTo", RANGE_TO, "limit", "1", "participant",
					"user-1", "cursor", first)
			.status()).as("a cursor of another participant").isEqualTo(400);
	}

	@Test
	void peopleWithABarInTheirIdArePagedLikeAnyOther() {
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = (cursor == null) ? this.api.get("/api/v1/participants", "limit", "1").body()
					: this.api.get("/api/v1/participants", "limit", "1", "cursor", cursor).body();
			page.get("items").forEach((person) -> seen.add(person.get("externalParticipantId").asString()));
			cursor = page.at("/page/nextCursor").isNull() ? null : page.at("/page/nextCursor").asString();
		}
		while (cursor != null);
		assertThat(seen).containsExactlyInAnyOrder("user|2", "user-1");
	}

	@Test
	void oneThreadsInteractionsComeOldestFirstAndAnUnknownThreadIs404() {
		JsonNode thread = this.api.get("/api/v1/threads/conv-zylon/t1").body();
		assertThat(thread.get("items")).extracting((item) -> item.get("sourceId").asString())
			.containsExactly("z1", "z2", "z3");

		var missing = this.api.get("/api/v1/threads/conv-zylon/nope");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.body().get("parameter").asString()).isEqualTo("threadId");
		assertThat(this.api.get("/api/v1/threads/conv-gf/t1").status()).as("threads belong to a connection")
			.isEqualTo(404);
	}

	@Test
	void aPersonIsFoundAcrossSourcesWithTheirTimeline() {
		JsonNode people = this.api.get("/api/v1/participants", "createdFrom", RANGE_FROM, "createdTo", RANGE_TO)
			.body()
			.get("items");

		assertThat(people).extracting((person) -> person.get("externalParticipantId").asString())
			.containsExactly("user|2", "user-1");
		JsonNode user1 = people.get(1);
		assertThat(user1.get("sources").toString()).isEqualTo("[\"greenflash\",\"zylon\"]");
		assertThat(user1.get("connections").toString()).isEqualTo("[\"conv-gf\",\"conv-zylon\"]");
		assertThat(user1.get("interactions").asLong()).isEqualTo(5);
		assertThat(user1.get("threads").asLong()).isEqualTo(2);

		JsonNode timeline = this.api.get("/api/v1/participants/user-1/interactions").body();
		assertThat(timeline.get("items")).extracting((item) -> item.get("sourceId").asString())
			.containsExactly("g2", "g1", "z3", "z2", "z1");
		assertThat(this.api.get("/api/v1/participants/user-1/interactions", "source", "greenflash", "sort", "createdAt")
			.body()
			.get("items")).extracting((item) -> item.get("sourceId").asString()).containsExactly("g1", "g2");
	}

	@Test
	void badParametersAreNamed() {
		for (String[] bad : new String[][] { { "/api/v1/threads", "limit", "0" }, { "/api/v1/threads", "q", "x" },
				{ "/api/v1/participants", "createdFrom", "soon" }, { "/api/v1/participants", "cursor", "%%%" },
				{ "/api/v1/participants/u/interactions", "sort", "sideways" },
				{ "/api/v1/threads", "source", "nope" } }) {
			var answer = this.api.get(bad[0], bad[1], bad[2]);
			assertThat(answer.status()).as(String.join(" ", bad)).isEqualTo(400);
			assertThat(answer.body().get("parameter").asString()).isEqualTo(bad[1]);
		}
	}

	private static NormalizedInteraction item(String source, String connection, String id, String thread,
			String participant, String created, String model, Long tokens) {
		Instant at = Instant.parse(created);
		return NormalizedInteraction.builder(source, connection, id)
			.threadId(thread)
			.participant("upstream-" + participant, participant, "user")
			.timestamps(at, at)
			.model(model)
			.tokens(tokens, tokens * 2)
			.text("q", "a")
			.messages(List.of())
			.raw(JsonNodeFactory.instance.objectNode().put("id", id))
			.build();
	}

}
