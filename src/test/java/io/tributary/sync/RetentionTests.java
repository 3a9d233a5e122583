package io.tributary.sync;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.IntegrationTest;
import io.tributary.interaction.InteractionWriter;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on real PostgreSQL: older rows go in bounded batches, oldest first, and a
 * sync does not bring back what retention would delete. The cutoff is a century back
 * (every other test's data is younger); the rows these tests purge are dated 1950.
 */
@IntegrationTest
class RetentionTests {

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private Retention retention;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MeterRegistry meters;

	@Test
	void aPurgeDeletesOlderRowsOldestFirstInBatchesOfTheConfiguredSize() {
		Instant base = Instant.parse("1950-01-01T00:00:00Z");
		List<Instant> created = Stream
			.concat(Stream.iterate(base, (t) -> t.plusSeconds(1)).limit(5),
					Stream.of(base.plusSeconds(600), base.plusSeconds(601)))
			.toList();
		assertThat(sync("retention-purge", created).inserted()).isEqualTo(7);
		double before = this.meters.get("tributary.retention.deleted").counter().count();

		Retention.Purge purge = this.retention.purge(base.plusSeconds(5), 2);

		assertThat(purge.deleted()).isEqualTo(5);
		assertThat(purge.batches()).as("2 + 2 + 1").isEqualTo(3);
		assertThat(this.jdbc.sql("SELECT source_id FROM interaction WHERE connection = 'retention-purge' ORDER BY 1")
			.query(String.class)
			.list()).containsExactly("item-5", "item-6");
		assertThat(this.meters.get("tributary.retention.deleted").counter().count() - before).isEqualTo(5.0);
		assertThat(this.retention.purge(base.plusSeconds(5), 2)).isEqualTo(new Retention.Purge(0, 0));
	}

	@Test
	void aSyncDoesNotStoreItemsOlderThanTheCutoff() {
		SyncRun run = sync("retention-sync",
				List.of(Instant.parse("2026-11-20T12:00:00Z"), Instant.parse("1900-01-01T00:00:00Z")));

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.fetched()).isEqualTo(2);
		assertThat(run.inserted()).isEqualTo(1);
		assertThat(run.unchanged()).as("the expired one").isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT source_id FROM interaction WHERE connection = 'retention-sync'")
			.query(String.class)
			.list()).containsExactly("item-0");
		assertThat(this.retention.cutoff()).isBefore(Instant.parse("1927-01-01T00:00:00Z"))
			.isAfter(Instant.parse("1926-01-01T00:00:00Z"));
	}

	@Test
	void renormalizationLeavesRowsOlderThanTheCutoffToThePurge() {
		String name = "retention-remap";
		Instant old = Instant.parse("1900-01-01T00:00:00Z");
		Instant kept = Instant.parse("2026-11-20T12:00:00Z");
		this.writer.write(List.of(row(name, "old", old), row(name, "kept", kept)), List.of(), 1);

		SyncRun run = this.syncs.at(upstream, "flockx", "retention-test-key").run(name, SyncMode.RENORMALIZE);

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(this.jdbc
			.sql("SELECT source_id || ':' || mapper_version FROM interaction WHERE connection = ? " + "ORDER BY 1")
			.param(name)
			.query(String.class)
			.list()).as("the purge would delete the old row: it is not written again")
			.containsExactly("kept:2", "old:1");
		// the other tests count what a purge deletes
		this.jdbc.sql("DELETE FROM interaction WHERE connection = ?").param(name).update();
	}

	private static NormalizedInteraction row(String connection, String id, Instant at) {
		return NormalizedInteraction.builder("flockx", connection, id)
			.timestamps(at, at)
			.text("hi", null)
			.raw(JsonNodeFactory.instance.objectNode()
				.put("id", id)
				.put("created_at", at.toString())
				.put("content_role", "user_message"))
			.build();
	}

	private SyncRun sync(String connection, List<Instant> created) {
		String items = java.util.stream.IntStream.range(0, created.size())
			.mapToObj((i) -> "{\"id\":\"item-" + i + "\",\"created_at\":\"" + created.get(i)
					+ "\",\"channel_id\":\"c\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],"
					+ "\"content_role\":\"user_message\",\"complete\":true}")
			.collect(Collectors.joining(","));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions"))
			.willReturn(okJson("{\"items\":[" + items + "],\"meta\":{\"has_next\":false}}")));
		return this.syncs.at(upstream, "flockx", "retention-test-key", "page-size", "100")
			.run(connection, SyncMode.FULL);
	}

}
