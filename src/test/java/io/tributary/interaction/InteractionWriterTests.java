package io.tributary.interaction;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.tributary.common.Digests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.tributary.interaction.Interactions.interaction;
import static org.assertj.core.api.Assertions.assertThat;

@InteractionDatabaseTest
class InteractionWriterTests {

	private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@BeforeEach
	void clean() {
		Interactions.deleteAll(this.jdbc);
	}

	@Test
	void insertsNewRowsAndCountsThem() {
		WriteResult result = this.writer.write(List.of(interaction("a", T0).build(), interaction("b", T0).build()));

		assertThat(result).isEqualTo(new WriteResult(2, 0, 0));
		assertThat(count()).isEqualTo(2);
	}

	/**
	 * The hash and the JSON columns come from one serialization of the item; they must be
	 * what serializing each part on its own gives (sorted keys), so rows stored before
	 * stay unchanged.
	 */
	@Test
	void storesEachJsonPartAndHashesTheWholeItemAsSerializedOnItsOwn() {
		JsonMapper sorted = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();
		ObjectNode raw = JsonNodeFactory.instance.objectNode();
		raw.put("z", "last \"quoted\" {brace} [bracket]")
			.put("a", 1.50)
			.putArray("list")
			.add("x")
			.addObject()
			.put("k", "v");
		raw.putObject("nested").put("b", "}").put("a", "{");
		NormalizedInteraction item = interaction("json", T0).raw(raw)
			.attributes(JsonNodeFactory.instance.objectNode().put("y", true).put("b", "é ✓"))
			.messages(List.of(new Message("user", "text", "a \"message\" ]"), new Message("assistant", null, null)))
			.build();

		this.writer.write(List.of(item));

		Map<String, Object> row = this.jdbc
			.sql("SELECT content_hash, messages::text AS messages, attributes::text AS attributes, raw::text AS raw "
					+ "FROM interaction WHERE source_id = 'json'")
			.query()
			.singleRow();
		assertThat(row.get("content_hash"))
			.isEqualTo(HexFormat.of().formatHex(Digests.sha256(sorted.writeValueAsString(item))));
		assertThat(sorted.readTree((String) row.get("raw"))).isEqualTo(raw);
		assertThat(sorted.readTree((String) row.get("attributes"))).isEqualTo(item.attributes());
		assertThat(sorted.readTree((String) row.get("messages")))
			.isEqualTo(sorted.readTree(sorted.writeValueAsString(item.messages())));
	}

	@Test
	void writingTheSameBatchAgainChangesNothing() {
		List<NormalizedInteraction> batch = List.of(interaction("a", T0).build(), interaction("b", T0).build());
		this.writer.write(batch);
		List<Map<String, Object>> before = rows();

		WriteResult again = this.writer.write(batch);

		assertThat(again).isEqualTo(new WriteResult(0, 0, 2));
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void changedContentRewritesTheRowButKeepsIdAndFirstSeen() {
		this.writer.write(List.of(interaction("a", T0).build(), interaction("b", T0).build()));
		Map<String, Object> before = row("a");

		WriteResult result = this.writer
			.write(List.of(interaction("a", T0).rating(new BigDecimal("4"), BigDecimal.ONE, new BigDecimal("5"))
				.feedback("late rating")
				.timestamps(T0, T0.plusSeconds(3600))
				.build(), interaction("b", T0).build()));

		assertThat(result).isEqualTo(new WriteResult(0, 1, 1));
		Map<String, Object> after = row("a");
		assertThat(after.get("id")).isEqualTo(before.get("id"));
		assertThat(after.get("first_seen_at")).isEqualTo(before.get("first_seen_at"));
		assertThat(after.get("content_hash")).isNotEqualTo(before.get("content_hash"));
		assertThat(after.get("feedback")).isEqualTo("late rating");
		assertThat(after.get("rating_normalized")).isEqualTo(0.75);
		assertThat(after.get("updated_at").toString()).startsWith("2026-11-01 11:00:00");
	}

	@Test
	void aChangeWithoutANewerUpstreamUpdateTimeIsDatedWhenTheGatewaySawIt() {
		this.writer.write(List.of(interaction("a", T0).status(InteractionStatus.IN_PROGRESS).build()));
		Instant before = Instant.now().minusSeconds(1);

		WriteResult completed = this.writer.write(List.of(interaction("a", T0).text("question a", "the answer")
			.raw(JsonNodeFactory.instance.objectNode().put("id", "a").put("answer", "the answer"))
			.build()));

		assertThat(completed.updated()).isEqualTo(1);
		Instant updatedAt = this.jdbc.sql("SELECT updated_at FROM interaction WHERE source_id = 'a'")
			.query(java.time.OffsetDateTime.class)
			.single()
			.toInstant();
		assertThat(updatedAt).as("the upstream still says " + T0).isAfter(before);
		assertThat(this.writer.write(List.of(interaction("a", T0).text("question a", "the answer")
			.raw(JsonNodeFactory.instance.objectNode().put("id", "a").put("answer", "the answer"))
			.build()))).as("the same content again changes nothing").isEqualTo(new WriteResult(0, 0, 1));
	}

	@Test
	void aRewriteOfTheSameUpstreamItemKeepsItsTimesAndLaterChangesAreStillNewer() {
		this.writer.write(List.of(interaction("a", T0).build()), List.of(), 1);

		WriteResult remapped = this.writer
			.write(List.of(interaction("a", T0).text("question a", "mapped anew").build()), List.of(), 2);

		assertThat(remapped.updated()).isEqualTo(1);
		assertThat(times("a")).as("only our mapping changed: the upstream's time stays")
			.containsExactly(T0.toString(), T0.toString());
		Instant later = T0.plusSeconds(3600);
		this.writer.write(List
			.of(interaction("a", later).raw(JsonNodeFactory.instance.objectNode().put("id", "a").put("rating", 5))
				.build()), List.of(), 2);
		assertThat(times("a")).as("a later upstream change is newer than what is stored")
			.containsExactly(later.toString(), later.toString());
	}

	@Test
	void theUpstreamsOwnTimeIsKeptApartFromTheGatewaysClock() {
		this.writer.write(List.of(interaction("a", T0).status(InteractionStatus.IN_PROGRESS).build()));

		this.writer.write(List.of(interaction("a", T0).text("question a", "the answer")
			.raw(JsonNodeFactory.instance.objectNode().put("id", "a").put("answer", "the answer"))
			.build()));

		List<String> times = times("a");
		assertThat(Instant.parse(times.get(0))).as("served: when the gateway saw the change").isAfter(T0);
		assertThat(times.get(1)).as("compared with later listings: the upstream's").isEqualTo(T0.toString());
		assertThat(new StoredInteractions(this.jdbc).versions("test-connection", List.of("a")).get("a").updatedAt())
			.isEqualTo(T0);
	}

	@Test
	void aRowWrittenBeforeTheUpstreamsTimeWasKeptApartGetsItAtItsNextWrite() {
		this.writer.write(List.of(interaction("old", T0).build()));
		// as stored before V12: no upstream time, and updated_at on the gateway's clock
		this.jdbc.sql("UPDATE interaction SET source_updated_at = NULL, updated_at = now() WHERE source_id = 'old'")
			.update();

		this.writer.write(List.of(interaction("old", T0).build()));

		assertThat(times("old").get(1)).isEqualTo(T0.toString());
		assertThat(new StoredInteractions(this.jdbc).versions("test-connection", List.of("old")).get("old").updatedAt())
			.as("later listings are compared with the upstream's time, so the row is held unchanged")
			.isEqualTo(T0);
	}

	/** The row's {@code updated_at} and {@code source_updated_at}. */
	private List<String> times(String sourceId) {
		return this.jdbc.sql("SELECT updated_at, source_updated_at FROM interaction WHERE source_id = ?")
			.param(sourceId)
			.query((rs, row) -> List.of(rs.getObject(1, java.time.OffsetDateTime.class).toInstant().toString(),
					rs.getObject(2, java.time.OffsetDateTime.class).toInstant().toString()))
			.single();
	}

	@Test
	void sameSourceIdTwiceInOneBatchKeepsTheLatest() {
		WriteResult result = this.writer
			.write(List.of(interaction("a", T0).feedback("newer").timestamps(T0, T0.plusSeconds(60)).build(),
					interaction("a", T0).feedback("older").build()));

		assertThat(result).isEqualTo(new WriteResult(1, 0, 0));
		assertThat(row("a").get("feedback")).isEqualTo("newer");
	}

	@Test
	void sameSourceIdInTwoConnectionsIsTwoRows() {
		NormalizedInteraction first = interaction("a", T0).build();
		NormalizedInteraction second = NormalizedInteraction.builder("greenflash", "other-connection", "a")
			.timestamps(T0, T0)
			.build();

		assertThat(this.writer.write(List.of(first, second))).isEqualTo(new WriteResult(2, 0, 0));
	}

	@Test
	void writesLargeBatchesInOneStatement() {
		List<NormalizedInteraction> batch = new ArrayList<>();
		for (int i = 0; i < 5000; i++) {
			batch.add(interaction("bulk-" + i, T0.plusSeconds(i)).build());
		}

		assertThat(this.writer.write(batch)).isEqualTo(new WriteResult(5000, 0, 0));
		assertThat(this.writer.write(batch)).isEqualTo(new WriteResult(0, 0, 5000));
	}

	@Test
	void storesEveryFieldAsGiven() {
		var raw = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", "full").put("x", 1);
		this.writer.write(List.of(NormalizedInteraction.builder("zylon", "zylon-prod", "full")
			.threadId("t1")
			.participant("p1", "ext-p1", "user")
			.organization("o1", "ext-o1")
			.productId("prod")
			.versionId("v1")
			.model("gpt-4o")
			.status(InteractionStatus.IN_PROGRESS)
			.text("in", "out")
			.messages(List.of(new Message("user", "text", "in")))
			.tokens(12L, 34L)
			.rating(new BigDecimal("2"), new BigDecimal("0"), new BigDecimal("10"))
			.feedback("fb")
			.timestamps(T0, T0.plusSeconds(5))
			.attributes(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("k", "v"))
			.raw(raw)
			.build()));

		Map<String, Object> row = row("full");
		assertThat(row).containsEntry("source", "zylon")
			.containsEntry("connection", "zylon-prod")
			.containsEntry("thread_id", "t1")
			.containsEntry("participant_id", "p1")
			.containsEntry("participant_external_id", "ext-p1")
			.containsEntry("participant_type", "user")
			.containsEntry("organization_id", "o1")
			.containsEntry("organization_external_id", "ext-o1")
			.containsEntry("product_id", "prod")
			.containsEntry("version_id", "v1")
			.containsEntry("model", "gpt-4o")
			.containsEntry("status", "in_progress")
			.containsEntry("input_text", "in")
			.containsEntry("output_text", "out")
			.containsEntry("input_tokens", 12L)
			.containsEntry("output_tokens", 34L)
			.containsEntry("rating_normalized", 0.2)
			.containsEntry("feedback", "fb");
		assertThat(row.get("messages").toString())
			.isEqualTo("[{\"role\": \"user\", \"text\": \"in\", \"type\": \"text\"}]");
		assertThat(row.get("attributes").toString()).isEqualTo("{\"k\": \"v\"}");
		assertThat(row.get("raw").toString()).isEqualTo("{\"x\": 1, \"id\": \"full\"}");
	}

	@Test
	void theConnectionsSecretIsNeverStoredWhereverItAppears() {
		String key = "sk-live-\"quoted\"-0123456789";
		var raw = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()
			.put("id", "leaky")
			.put("echo", "your key is " + key);
		this.writer.write(List.of(interaction("leaky", T0).text("my key: " + key, "a short answer")
			.messages(List.of(new Message("user", "text", "my key: " + key)))
			.raw(raw)
			.build()), List.of(key, "short"));

		Map<String, Object> row = row("leaky");
		assertThat(row.toString()).doesNotContain("0123456789").contains("[redacted]");
		assertThat(row.get("input_text")).isEqualTo("my key: [redacted]");
		assertThat(row.get("raw").toString()).contains("your key is [redacted]");
		assertThat(row.get("output_text")).as("secrets under 8 characters are not searched for")
			.isEqualTo("a short answer");
	}

	private long count() {
		return this.jdbc.sql("SELECT count(*) FROM interaction").query(Long.class).single();
	}

	private Map<String, Object> row(String sourceId) {
		return this.jdbc.sql("SELECT * FROM interaction WHERE source_id = ?").param(sourceId).query().singleRow();
	}

	private List<Map<String, Object>> rows() {
		return this.jdbc.sql("SELECT * FROM interaction ORDER BY source_id").query().listOfRows();
	}

}
