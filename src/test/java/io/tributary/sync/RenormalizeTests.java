package io.tributary.sync;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.interaction.InteractionWriter;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.SourceConnector;
import io.tributary.source.SyncMode;
import io.tributary.source.TestConnections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renormalization on real PostgreSQL: rows an older mapper wrote are mapped again from
 * their raw, with no upstream call, and rows of the current version are left alone.
 */
@IntegrationTest
class RenormalizeTests {

	/** Never called: the test checks it receives no request. */
	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncService sync;

	@Autowired
	private SyncRunStore runs;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private List<SourceConnector> connectors;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private JsonMapper json;

	@Test
	void rowsOfAnOlderMapperAreMappedAgainFromRawWithoutCallingTheUpstream() throws Exception {
		String name = "renormalize-fx";
		// what Flockx's first mapper stored: the reactions were kept, but no rating came
		// of them
		JsonNode raw = this.json.readTree("""
				{"id": "r1", "created_at": "2026-11-20T10:00:00Z", "content_role": "user_message",
				 "content": [{"type": "text", "text": "hi"}], "participant": {"type": "user", "user_id": "u-7"},
				 "reactions": [{"emoji": "👍", "count": 3}, {"emoji": "👎", "count": 1}]}
				""");
		Instant at = Instant.parse("2026-11-20T10:00:00Z");
		this.writer.write(List.of(
				NormalizedInteraction.builder("flockx", name, "r1")
					.timestamps(at, at)
					.text("hi", null)
					.raw(raw)
					.build(),
				NormalizedInteraction.builder("flockx", name, "r2")
					.timestamps(at, at)
					.text("already current", null)
					.raw(this.json.readTree("{\"id\": \"r2\", \"created_at\": \"2026-11-20T10:00:00Z\"}"))
					.build()),
				List.of(), 1);
		this.jdbc.sql("UPDATE interaction SET mapper_version = 2 WHERE connection = ? AND source_id = 'r2'")
			.param(name)
			.update();

		SourceConnector flockx = this.connectors.stream()
			.filter((connector) -> connector.kind().name().equals("flockx"))
			.findFirst()
			.orElseThrow();
		var connection = TestConnections.configured(flockx, name, "type", "flockx", "api-key", "renormalize-key-01",
				"base-url", upstream.baseUrl() + "/api/v1", "participant-external-id", "participant.user_id");
		long id = this.runs.start(name, SyncMode.RENORMALIZE).orElseThrow();
		this.sync.execute(id, connection, SyncMode.RENORMALIZE);
		SyncRun run = this.runs.find(id).orElseThrow();

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.mode()).isEqualTo(SyncMode.RENORMALIZE);
		assertThat(run.fetched()).as("only the row of the older version").isEqualTo(1);
		assertThat(run.updated()).isEqualTo(1);
		var row = this.jdbc
			.sql("SELECT rating, rating_normalized, rating_source, mapper_version, participant_external_id "
					+ "FROM interaction WHERE connection = ? AND source_id = 'r1'")
			.param(name)
			.query((rs, n) -> List.of(rs.getBigDecimal(1), rs.getDouble(2), rs.getString(3), rs.getInt(4),
					rs.getString(5)))
			.single();
		assertThat((BigDecimal) row.get(0)).isEqualByComparingTo("0.75");
		assertThat(row.subList(1, 5)).containsExactly(0.75, "reactions", 2, "u-7");
		assertThat(upstream.getAllServeEvents()).as("no upstream call").isEmpty();
		assertThat(this.runs.latestSucceeded(name, null)).as("a renormalization is no sync: freshness ignores it")
			.isEmpty();

		// a second one finds nothing left to do
		long again = this.runs.start(name, SyncMode.RENORMALIZE).orElseThrow();
		this.sync.execute(again, connection, SyncMode.RENORMALIZE);
		assertThat(this.runs.find(again).orElseThrow().fetched()).isZero();
	}

}
