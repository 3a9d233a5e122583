package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import io.tributary.source.UpstreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reading loop on its own, fed pages directly: what it commits when the pages end in
 * a failure.
 */
@IntegrationTest
class PageLoopTests {

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private PageLoop pages;

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private SyncRunStore runs;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void everyPageFetchedBeforeAFailingOneIsCommitted() {
		String name = "page-loop-1";
		long id = this.runs.start(name, SyncMode.FULL).orElseThrow();
		RunContext run = new RunContext(id, this.syncs.at(upstream, "greenflash", "loop-key").configured(name),
				SyncMode.FULL, Instant.now(), System.nanoTime(),
				new PageRules(null, null, Duration.ofMinutes(5), Instant.now()), new RunProgress(SyncMode.FULL),
				() -> false, 0);
		// the second page and the failure of the third arrive while the first commits
		Flux<SourcePage> source = Flux.just(page(name, "a"), page(name, "b"))
			.concatWith(Flux.error(UpstreamException.undecodable("GET /interactions?offset=4",
					new IllegalArgumentException("cut off"))));

		assertThatExceptionOfType(UpstreamException.class)
			.isThrownBy(() -> this.pages.read(run, source, SyncMode.FULL, null));

		assertThat(this.jdbc.sql("SELECT source_id FROM interaction WHERE connection = ? ORDER BY 1")
			.param(name)
			.query(String.class)
			.list()).containsExactly("a", "b");
	}

	private static SourcePage page(String connection, String id) {
		Instant at = Instant.parse("2026-11-20T10:00:00Z");
		return SourcePage.of(List.of(NormalizedInteraction.builder("greenflash", connection, id)
			.timestamps(at, at)
			.raw(JsonNodeFactory.instance.objectNode().put("id", id))
			.build())).at("interactions", "page=1 offset=0");
	}

}
