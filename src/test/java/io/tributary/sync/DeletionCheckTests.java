package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.tributary.IntegrationTest;
import io.tributary.interaction.InteractionWriter;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deletion check after a full pass, pass by pass: which unlisted rows it asks about,
 * and when an answer may mark a row deleted.
 */
@IntegrationTest
class DeletionCheckTests {

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static int counter;

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private DeletionReconciler reconciler;

	@Autowired
	private DeletionStore deletions;

	@Autowired
	private SyncRunStore runs;

	@Autowired
	@Qualifier("syncTransactions")
	private TransactionTemplate transaction;

	@Autowired
	private SyncMetrics metrics;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	private String name;

	@BeforeEach
	void fresh() {
		this.name = "deletion-checks-" + (++counter);
		upstream.resetAll();
		// the detail answers for the item every pass lists, so its 404s can be trusted
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions/listed")).willReturn(okJson("{\"id\":\"listed\"}")));
	}

	@Test
	void rowsThatStayUnlistedButAliveDoNotStarveARealDeletion() {
		List<String> alive = List.of("a", "b", "c", "d", "e");
		store(alive);
		store(List.of("zz"));
		alive.forEach((id) -> upstream
			.stubFor(get(urlPathEqualTo("/api/v1/interactions/" + id)).willReturn(okJson("{\"id\":\"" + id + "\"}"))));
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions/zz")).willReturn(notFound()));
		DeletionReconciler twoPerPass = reconciler(new SyncProperties.Deletions(2, 2, Duration.ofDays(7), 0.2, 10));

		List<Integer> deletedPerPass = new ArrayList<>();
		for (int pass = 0; pass < 4; pass++) {
			deletedPerPass.add(pass(twoPerPass));
		}

		assertThat(deletedPerPass).as("a, b; c, d; e and zz (one miss); zz again (two misses)")
			.containsExactly(0, 0, 0, 1);
		assertThat(deleted()).containsExactly("zz");
		assertThat(SyncRuns.requests(upstream, getRequestedFor(urlPathEqualTo("/api/v1/interactions/a"))))
			.as("asked once in the week")
			.isEqualTo(1);
	}

	@Test
	void aPassThatWouldDeleteMoreThanItsShareMarksNothingAndSaysSo() {
		List<String> gone = IntStream.range(0, 15).mapToObj((i) -> "gone-" + i).toList();
		store(gone);
		store(IntStream.range(0, 5).mapToObj((i) -> "kept-" + i).toList());
		upstream.stubFor(get(urlPathMatching("/api/v1/interactions/(gone|kept)-.*")).willReturn(notFound()));

		assertThat(pass(this.reconciler)).as("a first answer deletes nothing").isZero();
		long second = this.runs.start(this.name, SyncMode.FULL).orElseThrow();
		assertThat(pass(this.reconciler, second)).isZero();

		assertThat(deleted()).isEmpty();
		assertThat(this.runs.find(second).orElseThrow().warning())
			.startsWith("deletions held: 20 of 20 rows are missing from the pass's listing")
			.contains("would have marked 20 deleted");
	}

	@Test
	void aListingThatLostALargeShareDeletesNothingHoweverSmallEachPassBudget() {
		// a key narrowed to a quarter of the rows: the rest answer 404 to it; each pass
		// may ask about four rows, fewer than the share guard's 20 % of 80
		List<String> hidden = IntStream.range(0, 20).mapToObj((i) -> "hidden-" + i).toList();
		store(hidden);
		store(IntStream.range(0, 60).mapToObj((i) -> "kept-" + i).toList());
		this.jdbc
			.sql("UPDATE interaction SET confirmed_present_at = now() WHERE connection = ? AND source_id LIKE 'kept-%'")
			.param(this.name)
			.update();
		upstream.stubFor(get(urlPathMatching("/api/v1/interactions/hidden-.*")).willReturn(notFound()));
		DeletionReconciler fourPerPass = reconciler(new SyncProperties.Deletions(4, 4, Duration.ofDays(7), 0.2, 2));

		List<Long> passes = new ArrayList<>();
		for (int pass = 0; pass < 12; pass++) {
			long id = this.runs.start(this.name, SyncMode.FULL).orElseThrow();
			pass(fourPerPass, id);
			passes.add(id);
		}

		assertThat(deleted()).isEmpty();
		assertThat(this.runs.find(passes.get(passes.size() - 1)).orElseThrow().warning())
			.startsWith("deletions held: 20 of 80 rows are missing from the pass's listing");
	}

	@Test
	void aSmallShareMissingIsStillDeletedWithinTheBudget() {
		store(IntStream.range(0, 4).mapToObj((i) -> "gone-" + i).toList());
		store(IntStream.range(0, 60).mapToObj((i) -> "kept-" + i).toList());
		this.jdbc
			.sql("UPDATE interaction SET confirmed_present_at = now() WHERE connection = ? AND source_id LIKE 'kept-%'")
			.param(this.name)
			.update();
		upstream.stubFor(get(urlPathMatching("/api/v1/interactions/gone-.*")).willReturn(notFound()));
		DeletionReconciler twoPerPass = reconciler(new SyncProperties.Deletions(2, 2, Duration.ofDays(7), 0.2, 2));

		for (int pass = 0; pass < 4; pass++) {
			pass(twoPerPass);
		}

		assertThat(deleted()).containsExactly("gone-0", "gone-1", "gone-2", "gone-3");
	}

	@Test
	void theBudgetGrowsWithTheRowsWaitingForACheck() {
		SyncProperties.Deletions settings = new SyncProperties.Deletions(1000, 20000, Duration.ofDays(7), 0.2, 10);
		assertThat(settings.budget(10)).isEqualTo(1000);
		assertThat(settings.budget(30_000)).as("a third: all seen within three passes").isEqualTo(10_000);
		assertThat(settings.budget(1_000_000)).isEqualTo(20_000);
	}

	private int pass(DeletionReconciler reconciler) {
		return pass(reconciler, this.runs.start(this.name, SyncMode.FULL).orElseThrow());
	}

	/** One full pass by run {@code id} that listed only "listed", then its check. */
	private int pass(DeletionReconciler reconciler, long id) {
		this.runs.joinPass(id, id, null);
		this.jdbc.sql("INSERT INTO sync_seen (connection, pass_id, run_id, source_id) VALUES (?, ?, ?, 'listed')")
			.param(this.name)
			.param(id)
			.param(id)
			.update();
		RunContext run = new RunContext(id, this.syncs.at(upstream, "greenflash", "checks-key").configured(this.name),
				SyncMode.FULL, Instant.now(), System.nanoTime(),
				new PageRules(null, null, Duration.ofMinutes(5), Instant.now()), new RunProgress(SyncMode.FULL),
				() -> false, 0);
		reconciler.reconcile(run, id);
		this.runs.finish(id, true, null);
		return this.runs.find(id).orElseThrow().deleted();
	}

	private DeletionReconciler reconciler(SyncProperties.Deletions settings) {
		SyncProperties properties = new SyncProperties(false, Duration.ofSeconds(2), Duration.ofMinutes(1),
				Duration.ofSeconds(30), Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofMinutes(2),
				Duration.ofHours(1), settings);
		return new DeletionReconciler(this.deletions, this.runs, this.transaction, this.metrics, properties);
	}

	/** Rows stored an hour ago. */
	private void store(List<String> ids) {
		Instant at = Instant.parse("2026-11-20T10:00:00Z");
		this.writer.write(ids.stream()
			.map((id) -> NormalizedInteraction.builder("greenflash", this.name, id)
				.timestamps(at, at)
				.raw(JsonNodeFactory.instance.objectNode().put("id", id))
				.build())
			.toList());
		this.jdbc.sql("UPDATE interaction SET first_seen_at = now() - interval '1 hour' WHERE connection = ?")
			.param(this.name)
			.update();
	}

	private List<String> deleted() {
		return this.jdbc
			.sql("SELECT source_id FROM interaction WHERE connection = ? AND deleted_at IS NOT NULL ORDER BY 1")
			.param(this.name)
			.query(String.class)
			.list();
	}

}
