package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.interaction.InteractionWriter;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A run that outlives its lease (a long pause) and whose connection another process took
 * over writes nothing more: not a page (see {@code SyncRunRecoveryTests}), not a
 * watermark, not a deletion.
 */
@IntegrationTest
class LostLeaseTests {

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private PageLoop pages;

	@Autowired
	private DeletionReconciler deletions;

	@Autowired
	private SyncRunStore runs;

	@Autowired
	private StreamStore streams;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void aRunThatLostItsLeaseMovesNoWatermark() {
		String name = "lease-watermark";
		long id = takenOver(name);

		assertThatIllegalStateException()
			.isThrownBy(() -> this.pages.read(context(id, name), Flux.just(SourcePage.end("list")), SyncMode.FULL, id))
			.withMessageContaining("lost its connection's lock");
		assertThat(this.streams.load(name)).isEmpty();
	}

	@Test
	void aRunThatLostItsLeaseMarksNoDeletion() {
		String name = "lease-deletions";
		Instant at = Instant.parse("2026-11-20T10:00:00Z");
		this.writer.write(List.of(NormalizedInteraction.builder("flockx", name, "gone")
			.timestamps(at, at)
			.raw(JsonNodeFactory.instance.objectNode().put("id", "gone"))
			.build()));
		this.jdbc.sql("UPDATE interaction SET first_seen_at = now() - interval '1 hour' WHERE connection = ?")
			.param(name)
			.update();
		upstream.stubFor(get(urlPathMatching("/api/v1/interactions/.*")).willReturn(notFound()));
		long id = takenOver(name);
		this.jdbc.sql("INSERT INTO sync_seen (connection, pass_id, run_id, source_id) VALUES (?, ?, ?, 'still-listed')")
			.param(name)
			.param(id)
			.param(id)
			.update();

		assertThatIllegalStateException().isThrownBy(() -> this.deletions.reconcile(context(id, name), id))
			.withMessageContaining("lost its connection's lock");
		assertThat(this.jdbc
			.sql("SELECT deleted_at IS NULL AND missed_passes = 0 FROM interaction "
					+ "WHERE connection = ? AND source_id = 'gone'")
			.param(name)
			.query(Boolean.class)
			.single()).isTrue();
	}

	/**
	 * A full run of its own pass, begun an hour ago, that another process has since
	 * recorded as abandoned.
	 */
	private long takenOver(String name) {
		long id = this.runs.start(name, SyncMode.FULL).orElseThrow();
		this.runs.joinPass(id, id, null);
		this.jdbc.sql("UPDATE sync_run SET started_at = now() - interval '30 minutes' WHERE id = ?").param(id).update();
		this.jdbc.sql("UPDATE sync_run SET outcome = 'failed', finished_at = now(), error = 'abandoned' WHERE id = ?")
			.param(id)
			.update();
		return id;
	}

	private RunContext context(long id, String name) {
		ConfiguredConnection connection = this.syncs.at(upstream, "flockx", "lease-test-key").configured(name);
		Instant now = Instant.now();
		return new RunContext(id, connection, SyncMode.FULL, now, System.nanoTime(),
				new PageRules(null, null, Duration.ofMinutes(5), now.plusSeconds(300)), new RunProgress(SyncMode.FULL),
				() -> false, 0);
	}

}
