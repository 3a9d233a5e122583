package io.tributary.sandbox;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.tributary.sandbox.SandboxChaos.Fault;
import io.tributary.sandbox.SandboxData.Item;
import io.tributary.sandbox.SandboxTestSupport.Gateway;
import io.tributary.sandbox.SandboxTestSupport.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo profile against misbehaving upstreams: the sandbox in chaos mode answers a
 * third of the requests with a 500/503, a 429 ({@code Retry-After: 0}), a slow answer or
 * a 200 whose JSON is cut in half, and deletes a share of its items over time, while the
 * test moves the clock — during the runs too, so items are inserted, rated, completed and
 * deleted while the gateway pages through the lists. Several full and incremental runs
 * per connection go through this (some may fail). Then the chaos is calmed and ONE full
 * run per connection brings the stored set to the upstream set: nothing lost, duplicated,
 * stale or deleted-but-served.
 * <p>
 * One full run is enough for Flockx too: the sandbox's {@code GET /interactions/{id}}
 * answers 200 for the message ids the list gives, so the gateway trusts its 404s and
 * marks deletions at once rather than after two consecutive missed full runs.
 * <p>
 * Time is the test's, as in {@link SandboxEndToEndTests}, on a clock of this class's own;
 * the server listens on a port of its own choosing.
 */
@SandboxTest
// chaos changes the sandbox's data (deletions) from the start: a context of its own
@TestPropertySource(properties = { "tributary.sandbox.chaos.enabled=true", "tributary.sandbox.chaos.fault-rate=0.35",
		"tributary.sandbox.chaos.seed=20260302", "tributary.sandbox.chaos.deleted-share=0.08",
		"tributary.sandbox.chaos.delete-within=PT20M", "tributary.sandbox.chaos.max-delay=PT0.2S",
		// the default retry policy (five attempts), only with shorter backoffs
		"tributary.sources.greenflash-demo.retry.initial-backoff=PT0.01S",
		"tributary.sources.greenflash-demo.retry.max-backoff=PT0.1S",
		"tributary.sources.zylon-demo.retry.initial-backoff=PT0.01S",
		"tributary.sources.zylon-demo.retry.max-backoff=PT0.1S",
		"tributary.sources.flockx-demo.retry.initial-backoff=PT0.01S",
		"tributary.sources.flockx-demo.retry.max-backoff=PT0.1S" })
class ChaosEndToEndTests {

	private static final Logger log = LoggerFactory.getLogger(ChaosEndToEndTests.class);

	private static final TestClock CLOCK = new TestClock(SandboxTestSupport.START);

	/** The source of each demo connection. */
	private static final Map<String, String> SOURCES = Map.of("greenflash-demo", "greenflash", "zylon-demo", "zylon",
			"flockx-demo", "flockx");

	/**
	 * The runs under chaos: how far the clock moves before each round, and the mode of
	 * the round's runs (one per connection, all three at once).
	 */
	private static final List<Round> ROUNDS = List.of(new Round(Duration.ZERO, "full"),
			new Round(Duration.ofMinutes(2), "incremental"), new Round(Duration.ofMinutes(3), "incremental"),
			new Round(Duration.ofMinutes(1), "full"), new Round(Duration.ofMinutes(4), "incremental"),
			new Round(Duration.ofMinutes(2), "incremental"), new Round(Duration.ofMinutes(3), "full"),
			new Round(Duration.ofMinutes(2), "incremental"), new Round(Duration.ofMinutes(1), "incremental"),
			new Round(Duration.ofMinutes(2), "full"));

	/**
	 * While runs are under way, the clock moves two seconds every 25 ms (80 times as
	 * fast).
	 */
	private static final Duration TICK = Duration.ofSeconds(2);

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private SandboxData sandbox;

	@Autowired
	private SandboxChaos chaos;

	/** Replaces the application's clock: the sandbox and the sync runs both read it. */
	@TestBean
	private Clock clock;

	private Gateway gateway;

	private ScheduledExecutorService ticker;

	static Clock clock() {
		return CLOCK;
	}

	@BeforeEach
	void setUp() {
		this.gateway = new Gateway(this.mvc, this.json, this.jdbc);
		this.ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "chaos-clock");
			thread.setDaemon(true);
			return thread;
		});
	}

	@AfterEach
	void tearDown() {
		this.ticker.shutdownNow();
		this.chaos.storm();
	}

	@Test
	void afterChaosOneCalmFullRunLeavesExactlyTheUpstreamSet() throws Exception {
		this.gateway.reset();
		this.chaos.storm();
		Map<String, List<String>> outcomes = new LinkedHashMap<>();
		for (Round round : ROUNDS) {
			CLOCK.advance(round.advance());
			runAllWhileTheClockMoves(SandboxTestSupport.CONNECTIONS, round.mode(), outcomes);
		}
		// The calm full run below starts a pass of its own (the next test covers a calm
		// run
		// that resumes a failed pass): a pass that failed under chaos is run on, still
		// under
		// chaos, until it completes.
		for (int attempt = 1; !lastFullRunFailed().isEmpty(); attempt++) {
			assertThat(attempt).as("full runs until the pass completes under chaos").isLessThanOrEqualTo(10);
			runAllWhileTheClockMoves(lastFullRunFailed(), "full", outcomes);
		}
		log.info("Runs under chaos: {}; faults answered: {}", outcomes, faults());
		for (Fault fault : Fault.values()) {
			assertThat(this.chaos.answered(fault)).as("requests answered with " + fault).isPositive();
		}

		// late ratings, completions and deletions since the last run; then calm
		CLOCK.advance(Duration.ofMinutes(2));
		this.chaos.calm();
		Map<Fault, Long> faultsBefore = faults();
		for (String connection : SandboxTestSupport.CONNECTIONS) {
			JsonNode run = this.gateway.awaitRun(this.gateway.trigger(connection, "full"));
			assertThat(outcome(run)).as(connection + ": the calm full run " + run).isEqualTo("succeeded");
			assertThat(run.get("resumedFrom").isNull()).as(connection + ": a pass of its own " + run).isTrue();
			// no single answer deletes data: a deletion is marked by the second pass that
			// misses it
			JsonNode second = this.gateway.awaitRun(this.gateway.trigger(connection, "full"));
			assertThat(outcome(second)).as(connection + ": the second calm full run " + second).isEqualTo("succeeded");
		}
		assertThat(faults()).as("no fault after calm()").isEqualTo(faultsBefore);

		for (String connection : SandboxTestSupport.CONNECTIONS) {
			assertStoredSetIsTheUpstreamSet(connection, SOURCES.get(connection));
		}
	}

	/**
	 * A calm full run that resumes a failed pass (an outage after two pages, then twenty
	 * minutes of inserts, ratings, completions and deletions), and the two full runs
	 * after it (a deletion takes two passes' answers), still leave exactly the upstream
	 * set: it reads on from the failed run's last committed page, then every stream's
	 * head again down to where the pass began (with a fresh Flockx {@code end_time} and
	 * back to the oldest open item); an item only the failed run listed counts as listed
	 * by the pass, so one deleted since is marked by the two passes after it. (Found by
	 * this test: a resumed pass used to lose what arrived since, and to serve what was
	 * deleted since for ever.)
	 */
	@Test
	void aCalmFullRunThatResumesAFailedPassLeavesExactlyTheUpstreamSet() throws Exception {
		this.gateway.reset();
		this.chaos.calm();
		Map<String, String> afterResumedRun = new LinkedHashMap<>();
		for (String connection : SandboxTestSupport.CONNECTIONS) {
			assertThat(outcome(this.gateway.awaitRun(this.gateway.trigger(connection, "full")))).isEqualTo("succeeded");
			this.chaos.outageAfter(2);
			JsonNode failed = this.gateway.awaitRun(this.gateway.trigger(connection, "full"));
			this.chaos.calm();
			assertThat(outcome(failed)).as(connection + ": the run during the outage " + failed).isEqualTo("failed");
			CLOCK.advance(Duration.ofMinutes(20));
			JsonNode resumed = this.gateway.awaitRun(this.gateway.trigger(connection, "full"));
			assertThat(outcome(resumed)).as(connection + ": the calm full run " + resumed).isEqualTo("succeeded");
			assertThat(resumed.get("resumedFrom").asLong()).isEqualTo(failed.get("id").asLong());
			// the second pass that misses a deleted item marks it; an item deleted after
			// the
			// failed run listed it counts as listed by the resumed pass, and is missed by
			// the next two
			for (int pass = 0; pass < 2; pass++) {
				assertThat(outcome(this.gateway.awaitRun(this.gateway.trigger(connection, "full"))))
					.isEqualTo("succeeded");
			}
			afterResumedRun.put(connection, compare(connection, SOURCES.get(connection)).summary());
		}
		assertThat(afterResumedRun).as("a resumed full pass leaves exactly the upstream set")
			.isEqualTo(Map.of("greenflash-demo", Comparison.EXACT, "zylon-demo", Comparison.EXACT, "flockx-demo",
					Comparison.EXACT));
	}

	/**
	 * Starts one run per connection, moves the clock while they run (inserts, ratings,
	 * completions and deletions during pagination), and waits for all of them to end,
	 * whatever their outcome.
	 */
	private void runAllWhileTheClockMoves(List<String> connections, String mode, Map<String, List<String>> outcomes)
			throws Exception {
		ScheduledFuture<?> ticking = this.ticker.scheduleAtFixedRate(() -> CLOCK.advance(TICK), 25, 25,
				TimeUnit.MILLISECONDS);
		try {
			Map<String, Long> runs = new LinkedHashMap<>();
			for (String connection : connections) {
				runs.put(connection, this.gateway.trigger(connection, mode));
			}
			for (Map.Entry<String, Long> run : runs.entrySet()) {
				JsonNode ended = this.gateway.awaitRun(run.getValue());
				outcomes.computeIfAbsent(run.getKey(), (key) -> new ArrayList<>()).add(mode + ":" + outcome(ended));
			}
		}
		finally {
			ticking.cancel(false);
		}
	}

	/** The connections whose latest full run failed. */
	private List<String> lastFullRunFailed() {
		return SandboxTestSupport.CONNECTIONS.stream()
			.filter((connection) -> !"succeeded".equals(this.jdbc
				.sql("SELECT outcome FROM sync_run WHERE connection = ? AND mode = 'full' ORDER BY id DESC LIMIT 1")
				.param(connection)
				.query(String.class)
				.single()))
			.toList();
	}

	private void assertStoredSetIsTheUpstreamSet(String connection, String source) throws Exception {
		Comparison comparison = compare(connection, source);
		assertThat(this.jdbc.sql("SELECT count(*) - count(DISTINCT source_id) FROM interaction WHERE connection = ?")
			.param(connection)
			.query(Long.class)
			.single()).as(connection + ": duplicated rows").isZero();
		assertThat(comparison.lost()).as(connection + ": upstream items not stored, or marked deleted").isEmpty();
		assertThat(comparison.deletedButServed()).as(connection + ": deleted upstream, stored as existing").isEmpty();
		assertThat(comparison.neverThere()).as(connection + ": stored as existing, never upstream").isEmpty();
		assertThat(comparison.wronglyDeleted()).as(connection + ": marked deleted, not deleted upstream").isEmpty();
		assertThat(comparison.stale()).as(connection + ": stored rows that are not current").isEmpty();
		assertThat(comparison.markedDeleted()).as(connection + ": the scenario deleted stored items").isNotEmpty();

		Set<String> upstream = this.sandbox.upstreamIds(source);
		List<String> served = this.gateway.served("connection=" + connection)
			.stream()
			.map((item) -> item.get("sourceId").asString())
			.toList();
		assertThat(served).as(connection + ": served once each").doesNotHaveDuplicates();
		assertThat(new HashSet<>(served)).as(connection + ": GET /api/v1/interactions serves the upstream set")
			.isEqualTo(upstream);
		List<JsonNode> withDeleted = this.gateway.served("connection=" + connection + "&includeDeleted=true");
		assertThat(withDeleted).hasSize(upstream.size() + comparison.markedDeleted().size());
		JsonNode deleted = withDeleted.stream()
			.filter((item) -> comparison.markedDeleted().contains(item.get("sourceId").asString()))
			.findFirst()
			.orElseThrow();
		assertThat(
				this.gateway.getJson("/api/v1/interactions/" + deleted.get("id").asString()).get("deletedAt").isNull())
			.as(connection + ": the detail of a deleted interaction says when")
			.isFalse();
	}

	/** The gateway's rows of a connection against the sandbox's upstream set now. */
	private Comparison compare(String connection, String source) {
		Instant now = this.sandbox.now();
		Set<String> upstream = this.sandbox.upstreamIds(source);
		Set<String> deletedUpstream = new HashSet<>();
		for (Item item : this.sandbox.deleted(source)) {
			deletedUpstream.addAll("flockx".equals(source)
					? List.of(SandboxData.eventId(item, 0), SandboxData.eventId(item, 1)) : List.of(item.id()));
		}
		Map<String, Row> rows = rows(connection);
		Set<String> stored = new TreeSet<>();
		Set<String> markedDeleted = new TreeSet<>();
		rows.forEach((id, row) -> (row.deleted() ? markedDeleted : stored).add(id));
		List<String> stale = new ArrayList<>();
		for (Item item : this.sandbox.visible(source)) {
			expected(source, item, now).forEach((id, expected) -> {
				Row row = rows.get(id);
				if (row != null && !row.deleted() && !expected.equals(row.current())) {
					stale.add(id + " (item " + item.index() + "): stored " + row.current() + ", upstream " + expected);
				}
			});
		}
		return new Comparison(difference(upstream, stored), intersection(stored, deletedUpstream),
				difference(difference(stored, upstream), deletedUpstream), difference(markedDeleted, deletedUpstream),
				stale, markedDeleted);
	}

	/**
	 * What the gateway stores of an item, by source id, as {@link Row#current()} says it.
	 */
	private static Map<String, String> expected(String source, Item item, Instant now) {
		boolean rated = item.ratedBy(now);
		boolean complete = item.completeBy(now);
		Map<String, String> expected = new HashMap<>();
		switch (source) {
			case "greenflash" -> expected.put(item.id(), current("completed",
					rated ? BigDecimal.valueOf(item.rating()) : null, rated ? item.feedback() : null, 0));
			case "zylon" -> expected.put(item.id(),
					current(!complete ? "in_progress" : item.failed() ? "error" : "completed", null, null, 0));
			default -> {
				expected.put(SandboxData.eventId(item, 0), current("completed", null, null, 0));
				if (!item.answeredAt().isAfter(now)) {
					// its one reaction (thumbs up for a rating in the upper half) is its
					// rating
					boolean reacted = complete && rated;
					BigDecimal thumbs = !reacted ? null : (item.rating() >= (item.ratingMin() + item.ratingMax()) / 2.0)
							? BigDecimal.ONE : BigDecimal.ZERO;
					expected.put(SandboxData.eventId(item, 1),
							current(complete ? "completed" : "in_progress", thumbs, null, reacted ? 1 : 0));
				}
			}
		}
		return expected;
	}

	private static String current(String status, BigDecimal rating, String feedback, int reactions) {
		return "status=" + status + " rating=" + ((rating != null) ? rating.stripTrailingZeros().toPlainString() : null)
				+ " feedback=" + feedback + " reactions=" + reactions;
	}

	private Map<String, Row> rows(String connection) {
		Map<String, Row> rows = new HashMap<>();
		this.jdbc
			.sql("SELECT source_id, deleted_at IS NOT NULL AS deleted, status, rating, feedback, "
					+ "CASE WHEN jsonb_typeof(attributes -> 'reactions') = 'array' "
					+ "THEN jsonb_array_length(attributes -> 'reactions') ELSE 0 END AS reactions "
					+ "FROM interaction WHERE connection = ?")
			.param(connection)
			.query((rs, n) -> rows.put(rs.getString("source_id"),
					new Row(rs.getBoolean("deleted"),
							current(rs.getString("status"), rs.getBigDecimal("rating"), rs.getString("feedback"),
									rs.getInt("reactions")))))
			.list();
		return rows;
	}

	private static String outcome(JsonNode run) {
		return run.get("outcome").asString();
	}

	private static Set<String> difference(Set<String> a, Set<String> b) {
		Set<String> difference = new TreeSet<>(a);
		difference.removeAll(b);
		return difference;
	}

	private static Set<String> intersection(Set<String> a, Set<String> b) {
		Set<String> intersection = new TreeSet<>(a);
		intersection.retainAll(b);
		return intersection;
	}

	private Map<Fault, Long> faults() {
		Map<Fault, Long> faults = new LinkedHashMap<>();
		for (Fault fault : Fault.values()) {
			if (fault != Fault.NONE) {
				faults.put(fault, this.chaos.answered(fault));
			}
		}
		return faults;
	}

	private record Round(Duration advance, String mode) {
	}

	/**
	 * @param deleted whether the gateway marked it deleted
	 * @param current its status, rating, feedback and reactions, comparable with
	 * {@link #expected}
	 */
	private record Row(boolean deleted, String current) {
	}

	/**
	 * A connection's rows against the upstream set.
	 *
	 * @param lost upstream items not stored, or stored as deleted
	 * @param deletedButServed items deleted upstream, stored as existing
	 * @param neverThere items stored as existing that the upstream never had
	 * @param wronglyDeleted items marked deleted that exist upstream (or never did)
	 * @param stale stored items whose status, rating, feedback or reactions are not the
	 * upstream's
	 * @param markedDeleted items marked deleted
	 */
	private record Comparison(Set<String> lost, Set<String> deletedButServed, Set<String> neverThere,
			Set<String> wronglyDeleted, List<String> stale, Set<String> markedDeleted) {

		/** The summary of a connection whose stored set is the upstream set. */
		static final String EXACT = new Comparison(Set.of(), Set.of(), Set.of(), Set.of(), List.of(), Set.of())
			.summary();

		/** Counts and a few examples of each difference. */
		String summary() {
			return "lost " + sample(this.lost) + ", deleted but served " + sample(this.deletedButServed)
					+ ", never there " + sample(this.neverThere) + ", wrongly deleted " + sample(this.wronglyDeleted)
					+ ", stale " + sample(this.stale);
		}

		private static String sample(Collection<String> ids) {
			return ids.size() + ((ids.isEmpty()) ? "" : " " + ids.stream().limit(2).toList());
		}

	}

}
