package io.tributary.interaction;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

import io.tributary.IntegrationTest;
import io.tributary.common.InvalidParameter;
import io.tributary.interaction.StatsOptions.Dimension;
import io.tributary.interaction.StatsOptions.Interval;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hourly rollups of migration V17 against the interactions they sum: after a
 * randomized sequence of inserts, rewrites (moving rows between buckets), renormalizing
 * rewrites, deletion marks, restores, retention purges, hand-made updates and rolled-back
 * transactions, the incrementally kept rollups equal an aggregate computed here from
 * every row, a rebuild changes nothing, and every stats answer read from them equals the
 * scan's but for the percentiles, which stay within 1/16 of {@code percentile_cont}.
 */
@IntegrationTest
class RollupConsistencyTests {

	private static final String[][] CONNECTIONS = { { "roll-a", "greenflash" }, { "roll-b", "zylon" },
			{ "roll-c", "flockx" } };

	private static final String[] MODELS = { "gpt-test", "m-two", "m-three", null };

	/** Two days either side of gpt-test's price change (2026-06-01T00:00:00Z). */
	private static final Instant BASE = Instant.parse("2026-05-30T00:00:00Z");

	private static final long SPAN_SECONDS = 4 * 86_400;

	private static final String[] ZONES = { "UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo",
			"Australia/Sydney" };

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private InteractionStats stats;

	@Autowired
	private ConversationGroups groups;

	/**
	 * The sync's pool, which the writer writes on: its transactions take in the writer's
	 * statements.
	 */
	@Autowired
	@io.tributary.common.SyncDatabase
	private JdbcClient jdbc;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Autowired
	@io.tributary.common.SyncDatabase
	private javax.sql.DataSource dataSource;

	private PlatformTransactionManager transactions;

	private final Map<String, Spec> stored = new LinkedHashMap<>();

	/**
	 * Rows each kind of hand-written statement changed: the sequence proves nothing
	 * without.
	 */
	private final Map<String, Integer> changed = new TreeMap<>();

	private int nextId;

	@BeforeEach
	void empty() {
		this.transactions = new org.springframework.jdbc.support.JdbcTransactionManager(this.dataSource);
		Interactions.deleteAll(this.jdbc);
		this.stored.clear();
		this.changed.clear();
	}

	@ParameterizedTest(name = "seed {0}")
	@ValueSource(longs = { 1, 2, 3 })
	void incrementalRollupsEqualAFromScratchAggregateAndARebuildAfterARandomSequence(long seed) {
		Random random = new Random(seed);
		int mapperVersion = 1;
		for (int step = 0; step < 90; step++) {
			switch (random.nextInt(12)) {
				case 0, 1, 2 -> insert(random, 1 + random.nextInt(40));
				case 3, 4 -> change(random);
				case 5 -> this.writer.write(pick(random, 30), List.of(), ++mapperVersion);
				case 6 -> markMissed(random);
				case 7 -> restore(random);
				case 8 -> purge(random);
				case 9 -> moveByHand(random);
				case 10 -> rolledBack(random);
				default -> partlyRolledBack(random);
			}
			if (step % 30 == 29) {
				assertThat(differences(rollupTable(), aggregateOfTheRows())).as("seed %d, step %d", seed, step)
					.isEmpty();
				assertThat(count(THREADS_DIFFER)).as("seed %d, step %d", seed, step).isZero();
				assertThat(count(PEOPLE_DIFFER)).as("seed %d, step %d", seed, step).isZero();
			}
			if (step % 5 == 4) {
				// the same question between writes: a kept answer must not outlive a
				// change
				StatsOptions daily = new StatsOptions(List.of(Dimension.CONNECTION), Interval.DAY, "Europe/Berlin");
				assertSameFigures(this.stats.stats(filter(), daily, true), this.stats.stats(filter(), daily, false),
						"seed " + seed + ", step " + step);
			}
		}
		// two missed passes over some rows at the end: the comparison covers rows marked
		// deleted
		for (int pass = 0; pass < 2; pass++) {
			for (String[] connection : CONNECTIONS) {
				this.jdbc.sql("UPDATE interaction SET missed_passes = missed_passes + 1, "
						+ "deleted_at = CASE WHEN missed_passes + 1 >= 2 THEN now() END WHERE connection = :connection "
						+ "AND source_id IN (SELECT source_id FROM interaction WHERE connection = :connection "
						+ "ORDER BY source_id LIMIT 5) AND deleted_at IS NULL")
					.param("connection", connection[0])
					.update();
			}
		}
		Map<String, List<String>> incremental = rollupTable();
		assertThat(incremental).as("the sequence left rollups to compare").hasSizeGreaterThan(50);
		assertThat(this.changed).as("every kind of statement changed rows")
			.containsOnlyKeys("missed", "restore", "purge", "by hand")
			.allSatisfy((kind, rows) -> assertThat(rows).as(kind).isPositive());
		assertThat(count("SELECT count(*) FROM interaction WHERE deleted_at IS NOT NULL")).isPositive();
		assertThat(differences(incremental, aggregateOfTheRows())).as("seed %d", seed).isEmpty();

		Api.Response rebuilt = new Api(this.mvc, this.json)
			.perform(MockMvcRequestBuilders.post("/api/v1/admin/rollups/rebuild"));

		assertThat(rebuilt.status()).isEqualTo(200);
		assertThat(rebuilt.body().get("interactions").asLong()).isEqualTo(count("SELECT count(*) FROM interaction"));
		assertThat(rebuilt.body().get("rollupRows").asLong()).isEqualTo(incremental.size());
		assertThat(differences(rollupTable(), incremental)).as("a rebuild is identical, seed %d", seed).isEmpty();
		assertThat(count(THREADS_DIFFER)).as("thread summaries equal a grouping of the rows, seed %d", seed).isZero();
		assertThat(rebuilt.body().get("threads").asLong())
			.isEqualTo(count("SELECT count(DISTINCT (connection, thread_id)) FROM interaction "
					+ "WHERE thread_id IS NOT NULL AND deleted_at IS NULL"));
		for (int i = 0; i < 6; i++) {
			sameThreadsBothWays(random, "seed " + seed + ", walk " + i);
		}
		assertThat(count(PEOPLE_DIFFER)).as("participant summaries equal a grouping of the rows, seed %d", seed)
			.isZero();
		assertThat(rebuilt.body().get("participants").asLong()).isEqualTo(
				count("SELECT count(DISTINCT participant_external_id) FROM interaction WHERE deleted_at IS NULL"));
		samePeopleBothWays(random, "seed " + seed);

		for (int i = 0; i < 40; i++) {
			sameAnswerBothWays(random, "seed " + seed + ", request " + i);
		}
	}

	@Test
	void concurrentSyncsAndPurgesLeaveRollupsAndThreadsExact() throws Exception {
		int workers = CONNECTIONS.length + 1;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers);
		java.util.concurrent.atomic.AtomicInteger aborted = new java.util.concurrent.atomic.AtomicInteger();
		try {
			List<java.util.concurrent.Future<?>> done = new ArrayList<>();
			for (int w = 0; w < workers; w++) {
				int worker = w;
				done.add(pool.submit(() -> {
					Random random = new Random(100 + worker);
					for (int step = 0; step < 30; step++) {
						try {
							concurrentStep(random, worker, step);
						}
						catch (org.springframework.dao.PessimisticLockingFailureException ex) {
							// a deadlock PostgreSQL broke by rolling one back: nothing of
							// it stays
							aborted.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (java.util.concurrent.Future<?> future : done) {
				future.get(2, java.util.concurrent.TimeUnit.MINUTES);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(count("SELECT count(*) FROM interaction")).isPositive();
		assertThat(differences(rollupTable(), aggregateOfTheRows())).as("%d aborted", aborted.get()).isEmpty();
		assertThat(count(THREADS_DIFFER)).as("%d aborted", aborted.get()).isZero();
		assertThat(count(PEOPLE_DIFFER)).as("%d aborted", aborted.get()).isZero();
	}

	/**
	 * One worker's page, as a sync of its own connection commits one: rows in the same
	 * few hours as every other worker's, written, rewritten, marked deleted and restored
	 * in one transaction; the last worker purges the oldest rows of everybody, as
	 * retention does.
	 */
	private void concurrentStep(Random random, int worker, int step) {
		if (worker == CONNECTIONS.length) {
			this.jdbc
				.sql("DELETE FROM interaction WHERE id IN (SELECT id FROM interaction WHERE created_at < :cutoff "
						+ "ORDER BY created_at LIMIT 20)")
				.param("cutoff", io.tributary.common.Rows.timestamp(BASE.plusSeconds(random.nextInt(3 * 3600))))
				.update();
			return;
		}
		new TransactionTemplate(this.transactions).executeWithoutResult((status) -> {
			List<NormalizedInteraction> page = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				Spec spec = randomSpec(random, CONNECTIONS[worker][0], CONNECTIONS[worker][1],
						"w" + worker + "-" + random.nextInt(60));
				page.add(spec.withCreated(BASE.plusSeconds(random.nextInt(4 * 3600)))
					.withThread("shared-" + random.nextInt(4))
					.build());
			}
			this.writer.write(page, List.of());
			this.jdbc
				.sql("UPDATE interaction SET deleted_at = CASE WHEN deleted_at IS NULL THEN now() END "
						+ "WHERE connection = :connection AND source_id = ANY(CAST(:ids AS text[]))")
				.param("connection", CONNECTIONS[worker][0])
				.param("ids", new String[] { "w" + worker + "-" + random.nextInt(60), "w" + worker + "-" + step })
				.update();
		});
	}

	@Test
	void percentilesFromTheHistogramStayWithinASixteenthOfPercentileCont() {
		Random random = new Random(7);
		List<NormalizedInteraction> items = new ArrayList<>();
		// each model a different shape: heavy-tailed, uniform, every value at the top
		// of its bin (the worst case of a midpoint), and a few small exact ones
		for (int i = 0; i < 3000; i++) {
			long tokens = switch (i % 4) {
				case 0 -> (long) Math.exp(3 + 2.5 * random.nextGaussian() * 0.8);
				case 1 -> random.nextInt(100_000);
				case 2 -> {
					int m = 4 + random.nextInt(16);
					long width = 1L << (m - 3);
					yield (1L << m) + random.nextInt(8) * width + width - 1;
				}
				default -> random.nextInt(16);
			};
			items.add(item("roll-a", "greenflash", "p" + i, BASE.plusSeconds(random.nextLong(SPAN_SECONDS)),
					"shape-" + (i % 4), InteractionStatus.COMPLETED, 10L, Math.min(tokens, 1_048_575L), null, null));
		}
		this.writer.write(items, List.of());
		StatsOptions byModelAndDay = new StatsOptions(List.of(Dimension.MODEL), Interval.DAY, "Europe/Berlin");

		InteractionStatsPage rollups = this.stats.stats(filter(), byModelAndDay, true);
		InteractionStatsPage exact = this.stats.stats(filter(), byModelAndDay, false);

		assertThat(rollups.computedFrom()).isEqualTo("rollups");
		assertThat(exact.computedFrom()).isEqualTo("scan");
		assertThat(rollups.groups()).hasSize(exact.groups().size()).hasSizeGreaterThan(12);
		for (int g = 0; g < exact.groups().size(); g++) {
			InteractionStatsPage.Group estimate = rollups.groups().get(g);
			InteractionStatsPage.Group truth = exact.groups().get(g);
			assertWithinASixteenth(estimate.p50OutputTokens(), truth.p50OutputTokens(), "p50 of " + truth.key());
			assertWithinASixteenth(estimate.p95OutputTokens(), truth.p95OutputTokens(), "p95 of " + truth.key());
			if (truth.key().get("model").equals("shape-3")) {
				assertThat(estimate.p50OutputTokens()).as("exact below 16").isEqualTo(truth.p50OutputTokens());
				assertThat(estimate.p95OutputTokens()).isEqualTo(truth.p95OutputTokens());
			}
		}
	}

	@Test
	void whatTheRollupsCannotAnswerIsComputedFromTheRows() {
		insert(new Random(11), 200);
		Instant midHour = BASE.plus(1, ChronoUnit.DAYS).plusSeconds(1234);

		assertThat(computedFrom(filter(), new StatsOptions(List.of(Dimension.THREAD), null, null))).isEqualTo("scan");
		assertThat(computedFrom(filter(), new StatsOptions(null, Interval.DAY, "Asia/Kolkata")))
			.as("a half-hour offset")
			.isEqualTo("scan");
		assertThat(computedFrom(filter(), new StatsOptions(null, Interval.DAY, "Asia/Tokyo"))).isEqualTo("rollups");
		InteractionFilter rated = new InteractionFilter(null, null, null, null, null, null, null, null, null, null,
				null, null, 0.5, null, null, null, null, null, null, null, null);
		assertThat(computedFrom(rated, new StatsOptions(null, null, null))).isEqualTo("scan");
		InteractionFilter midHourRange = new InteractionFilter(null, null, null, null, null, null, null, null, null,
				midHour, midHour.plusSeconds(7 * 3600 + 17), null, null, null, null, null, null, null, null, null,
				null);
		StatsOptions hours = new StatsOptions(List.of(Dimension.SOURCE), Interval.HOUR, null);
		assertThat(computedFrom(midHourRange, hours)).as("partial hours read from the rows").isEqualTo("rollups");
		assertSameFigures(this.stats.stats(midHourRange, hours, true), this.stats.stats(midHourRange, hours, false),
				"a range cut mid-hour");

		this.writer.write(List.of(item("roll-b", "zylon", "huge", midHour, "m-two", InteractionStatus.COMPLETED, 1L,
				5_000_000L, null, null)), List.of());
		StatsOptions byModel = new StatsOptions(List.of(Dimension.MODEL), null, null);
		InteractionFilter twoConnections = new InteractionFilter(null, null, null, null, null, null, null, "m-two",
				null, null, null, null, null, null, null, null, null, null, null, null, null);
		assertThat(this.stats.stats(twoConnections, byModel, true).computedFrom())
			.as("the one huge count is no percentile of the many")
			.isEqualTo("rollups");
		InteractionFilter onlyHuge = new InteractionFilter(null, "roll-b", null, null, null, null, null, "m-two", null,
				midHour, midHour.plusSeconds(1), null, null, null, null, null, null, null, null, null, null);
		InteractionStatsPage unbounded = this.stats.stats(onlyHuge, byModel, true);
		assertThat(unbounded.computedFrom()).as("a percentile in the open-ended bin").isEqualTo("scan");
		assertThat(unbounded.groups().get(0).p50OutputTokens()).isEqualTo(5_000_000.0);
	}

	@Test
	void theRebuildOfAKeyLimitedToConnectionsTouchesOnlyTheirs() {
		insert(new Random(5), 300);
		Map<String, List<String>> correct = rollupTable();
		this.jdbc.sql("ALTER TABLE interaction DISABLE TRIGGER interaction_rollup_update").update();
		try {
			this.jdbc.sql("UPDATE interaction SET status = 'error'").update();
		}
		finally {
			this.jdbc.sql("ALTER TABLE interaction ENABLE TRIGGER interaction_rollup_update").update();
		}
		Map<String, List<String>> stale = rollupTable();
		assertThat(differences(stale, aggregateOfTheRows())).as("the triggers were off").isNotEmpty();

		Rollups.Rebuilt rebuilt = new Rollups(this.jdbc, () -> Optional.of(Set.of("roll-a")), this.dataSource)
			.rebuild();

		assertThat(rebuilt.connections()).containsExactly("roll-a");
		assertThat(rebuilt.interactions())
			.isEqualTo(count("SELECT count(*) FROM interaction WHERE connection = 'roll-a'"));
		Map<String, List<String>> after = rollupTable();
		Map<String, List<String>> expected = aggregateOfTheRows();
		assertThat(differences(only(after, "roll-a"), only(expected, "roll-a"))).isEmpty();
		assertThat(differences(only(after, "roll-b"), only(stale, "roll-b"))).as("not its connection").isEmpty();
		assertThat(correct).isNotEmpty();

		var reader = new Api(this.mvc, this.json).perform(MockMvcRequestBuilders.post("/api/v1/admin/rollups/rebuild")
			.header("X-API-Key", "test-key-read-only-0001"));
		assertThat(reader.status()).as("operate scope only").isEqualTo(403);
		var operator = new Api(this.mvc, this.json).perform(MockMvcRequestBuilders.post("/api/v1/admin/rollups/rebuild")
			.header("X-API-Key", "test-key-operate-only-01"));
		assertThat(operator.status()).isEqualTo(200);
		assertThat(differences(rollupTable(), expected)).isEmpty();
	}

	@Test
	void javaBinsAreThoseOfTheSqlFunction() {
		List<Long> values = new ArrayList<>();
		for (long value = -3; value < 5000; value++) {
			values.add(value);
		}
		for (int m = 4; m <= 21; m++) {
			for (long near = -2; near <= 2; near++) {
				for (int s = 0; s < 8; s++) {
					values.add((1L << m) + s * (1L << Math.max(0, m - 3)) + near);
				}
			}
		}
		values.add(Long.MAX_VALUE);
		values.add(Long.MIN_VALUE);
		List<Integer> sql = this.jdbc
			.sql("SELECT interaction_token_bin(v) FROM unnest(CAST(:values AS bigint[])) "
					+ "WITH ORDINALITY AS u(v, i) ORDER BY i")
			.param("values", values.toArray(Long[]::new))
			.query(Integer.class)
			.list();

		List<Integer> java = values.stream().map(TokenHistogram::bin).toList();
		List<String> disagree = IntStream.range(0, values.size())
			.filter((i) -> !sql.get(i).equals(java.get(i)))
			.mapToObj((i) -> values.get(i) + ": sql " + sql.get(i) + ", java " + java.get(i))
			.limit(5)
			.toList();
		assertThat(disagree).isEmpty();
		assertThat(java.stream().mapToInt(Integer::intValue).max().orElseThrow()).isEqualTo(TokenHistogram.BINS - 1);
	}

	// ---- the randomized operations

	private void insert(Random random, int count) {
		List<NormalizedInteraction> batch = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String[] connection = CONNECTIONS[random.nextInt(CONNECTIONS.length)];
			Spec spec = randomSpec(random, connection[0], connection[1], "r" + (this.nextId++));
			this.stored.put(spec.key(), spec);
			batch.add(spec.build());
		}
		if (!batch.isEmpty() && random.nextBoolean()) {
			// the writer counts an item repeated within a page once
			batch.add(batch.get(random.nextInt(batch.size())));
		}
		this.writer.write(batch, List.of());
	}

	/**
	 * Rewrites: ratings, statuses, tokens, models and creation hours change; some stay.
	 */
	private void change(Random random) {
		List<NormalizedInteraction> batch = new ArrayList<>();
		for (Spec spec : pickSpecs(random, 25)) {
			Spec changed = switch (random.nextInt(9)) {
				case 0 -> spec.withRating(randomRating(random));
				case 1 -> spec.withStatus(InteractionStatus.values()[random.nextInt(3)]);
				case 2 -> spec.withTokens(randomTokens(random), randomTokens(random));
				case 3 -> spec.withModel(MODELS[random.nextInt(MODELS.length)]);
				case 4 -> spec.withCreated(spec.created().plusSeconds(random.nextInt(7200) - 3600));
				case 5 -> spec.withFeedback((spec.feedback() == null) ? "later feedback" : null);
				case 6 -> spec.withThread(randomThread(random));
				case 7 -> spec.withParticipant(randomParticipant(random));
				default -> spec;
			};
			this.stored.put(changed.key(), changed);
			batch.add(changed.build());
		}
		// new items in the same statement: one upsert fires both its INSERT and its
		// UPDATE trigger
		for (int i = random.nextInt(4); i > 0; i--) {
			String[] connection = CONNECTIONS[random.nextInt(CONNECTIONS.length)];
			Spec spec = randomSpec(random, connection[0], connection[1], "r" + (this.nextId++));
			if (!this.stored.isEmpty() && random.nextBoolean()) {
				// into a thread a changed row leaves or joins
				Spec other = this.stored.values().iterator().next();
				spec = spec.withThread(other.thread());
				spec = new Spec(other.connection(), other.source(), spec.id(), spec.created(), spec.model(),
						spec.status(), spec.input(), spec.output(), spec.rating(), spec.feedback(), other.thread(),
						spec.participant());
			}
			this.stored.put(spec.key(), spec);
			batch.add(spec.build());
		}
		this.writer.write(batch, List.of());
	}

	/**
	 * What {@code DeletionStore.missed} runs: the second missed pass marks a row deleted.
	 */
	private void markMissed(Random random) {
		String connection = CONNECTIONS[random.nextInt(CONNECTIONS.length)][0];
		int rows = this.jdbc
			.sql("UPDATE interaction SET missed_passes = missed_passes + 1, "
					+ "deleted_at = CASE WHEN missed_passes + 1 >= 2 THEN now() END "
					+ "WHERE connection = :connection AND source_id = ANY(CAST(:ids AS text[])) AND deleted_at IS NULL")
			.param("connection", connection)
			.param("ids", ids(random, connection, 20))
			.update();
		this.changed.merge("missed", rows, Integer::sum);
	}

	/**
	 * What {@code DeletionStore.restore} runs, on rows a pass missed or marked deleted
	 * and some others.
	 */
	private void restore(Random random) {
		String connection = CONNECTIONS[random.nextInt(CONNECTIONS.length)][0];
		List<String> ids = new ArrayList<>(List.of(ids(random, connection, 10)));
		List<String> missed = this.jdbc
			.sql("SELECT source_id FROM interaction WHERE connection = ? AND (deleted_at IS NOT NULL "
					+ "OR missed_passes > 0) ORDER BY source_id")
			.param(connection)
			.query(String.class)
			.list();
		for (String id : missed) {
			if (random.nextBoolean()) {
				ids.add(id);
			}
		}
		int rows = this.jdbc
			.sql("UPDATE interaction SET deleted_at = NULL, missed_passes = 0 WHERE connection = :connection "
					+ "AND source_id = ANY(CAST(:ids AS text[])) AND (deleted_at IS NOT NULL OR missed_passes > 0)")
			.param("connection", connection)
			.param("ids", ids.toArray(String[]::new))
			.update();
		this.changed.merge("restore", rows, Integer::sum);
	}

	/** What {@code Retention.purge} runs, one batch. */
	private void purge(Random random) {
		int rows = this.jdbc
			.sql("DELETE FROM interaction WHERE id IN (SELECT id FROM interaction WHERE created_at < :cutoff "
					+ "ORDER BY created_at LIMIT :batch)")
			.param("cutoff", io.tributary.common.Rows.timestamp(BASE.plusSeconds(random.nextLong(SPAN_SECONDS / 2))))
			.param("batch", 1 + random.nextInt(30))
			.update();
		this.changed.merge("purge", rows, Integer::sum);
		forgetPurged();
	}

	/** An UPDATE nobody wrote for the rollups: rows change hour, status and id. */
	private void moveByHand(Random random) {
		String connection = CONNECTIONS[random.nextInt(CONNECTIONS.length)][0];
		int rows = this.jdbc
			.sql("UPDATE interaction SET created_at = created_at + make_interval(mins => :minutes), "
					+ "status = CASE WHEN status = 'error' THEN 'completed' ELSE 'error' END, "
					+ "id = CASE WHEN :newIds THEN gen_random_uuid() ELSE id END "
					+ "WHERE connection = :connection AND source_id = ANY(CAST(:ids AS text[]))")
			.param("minutes", random.nextInt(240) - 120)
			.param("newIds", random.nextBoolean())
			.param("connection", connection)
			.param("ids", ids(random, connection, 15))
			.update();
		this.changed.merge("by hand", rows, Integer::sum);
	}

	/** Writes, deletions and a purge in a transaction that rolls back: no trace left. */
	private void rolledBack(Random random) {
		Map<String, Spec> before = new LinkedHashMap<>(this.stored);
		int next = this.nextId;
		new TransactionTemplate(this.transactions).executeWithoutResult((status) -> {
			insert(random, 10);
			change(random);
			purge(random);
			status.setRollbackOnly();
		});
		this.stored.clear();
		this.stored.putAll(before);
		this.nextId = next;
		forgetPurged();
	}

	/**
	 * A page stored item by item, as the sync does when PostgreSQL refuses a page: each
	 * item under a savepoint, some rolled back to it; what was rolled back leaves no
	 * trace.
	 */
	private void partlyRolledBack(Random random) {
		Map<String, Spec> before = new LinkedHashMap<>(this.stored);
		List<String> kept = new ArrayList<>();
		// as the sync's transactions: JDBC ones, which know savepoints
		new TransactionTemplate(this.transactions).executeWithoutResult((status) -> {
			for (int i = 0; i < 8; i++) {
				Object savepoint = status.createSavepoint();
				String[] connection = CONNECTIONS[random.nextInt(CONNECTIONS.length)];
				Spec spec = randomSpec(random, connection[0], connection[1], "r" + (this.nextId++));
				this.writer.write(List.of(spec.build()), List.of());
				if (random.nextBoolean()) {
					status.rollbackToSavepoint(savepoint);
				}
				else {
					status.releaseSavepoint(savepoint);
					kept.add(spec.key());
					before.put(spec.key(), spec);
				}
			}
		});
		this.stored.clear();
		this.stored.putAll(before);
		assertThat(count(
				"SELECT count(*) FROM interaction WHERE connection || '|' || source_id = ANY(CAST(:keys AS text[]))"
					.replace(":keys", "'{" + String.join(",", kept) + "}'")))
			.isEqualTo(kept.size());
	}

	private void forgetPurged() {
		Set<String> left = Set
			.copyOf(this.jdbc.sql("SELECT connection || '|' || source_id FROM interaction").query(String.class).list());
		this.stored.keySet().retainAll(left);
	}

	private List<NormalizedInteraction> pick(Random random, int most) {
		return pickSpecs(random, most).stream().map(Spec::build).toList();
	}

	private List<Spec> pickSpecs(Random random, int most) {
		List<Spec> all = new ArrayList<>(this.stored.values());
		java.util.Collections.shuffle(all, random);
		return all.subList(0, Math.min(all.size(), random.nextInt(most + 1)));
	}

	private String[] ids(Random random, String connection, int most) {
		return pickSpecs(random, most * 3).stream()
			.filter((spec) -> spec.connection().equals(connection))
			.map(Spec::id)
			.toArray(String[]::new);
	}

	private static Spec randomSpec(Random random, String connection, String source, String id) {
		return new Spec(connection, source, id, BASE.plusSeconds(random.nextLong(SPAN_SECONDS)),
				MODELS[random.nextInt(MODELS.length)], InteractionStatus.values()[random.nextInt(3)],
				randomTokens(random), randomTokens(random), randomRating(random),
				(random.nextInt(4) == 0) ? "feedback " + id : null, randomThread(random), randomParticipant(random));
	}

	/** Few threads per connection, so they have many turns. */
	private static String randomThread(Random random) {
		return (random.nextInt(10) == 0) ? null : "thread-" + random.nextInt(25);
	}

	/** Few people, across connections; some interactions carry none. */
	private static String randomParticipant(Random random) {
		return (random.nextInt(8) == 0) ? null : "person-" + random.nextInt(9);
	}

	private static Long randomTokens(Random random) {
		return switch (random.nextInt(10)) {
			case 0 -> null;
			case 1 -> (long) random.nextInt(16);
			case 2 -> (long) Math.min(1_048_575, Math.exp(4 + 2 * random.nextGaussian()));
			default -> 20L + random.nextInt(3000);
		};
	}

	/**
	 * A rating on one of three scales (1..5, 0..10, 0..7: sevenths never end in
	 * decimals).
	 */
	private static BigDecimal[] randomRating(Random random) {
		if (random.nextInt(5) < 2) {
			return null;
		}
		int[][] scales = { { 1, 5 }, { 0, 10 }, { 0, 7 } };
		int[] scale = scales[random.nextInt(scales.length)];
		int value = scale[0] + random.nextInt(scale[1] - scale[0] + 1);
		return new BigDecimal[] { BigDecimal.valueOf(value), BigDecimal.valueOf(scale[0]),
				BigDecimal.valueOf(scale[1]) };
	}

	private static NormalizedInteraction item(String connection, String source, String id, Instant created,
			String model, InteractionStatus status, Long input, Long output, BigDecimal[] rating, String feedback) {
		return new Spec(connection, source, id, created, model, status, input, output, rating, feedback, "thread-" + id,
				"person-" + id)
			.build();
	}

	record Spec(String connection, String source, String id, Instant created, String model, InteractionStatus status,
			Long input, Long output, BigDecimal[] rating, String feedback, String thread, String participant) {

		String key() {
			return this.connection + "|" + this.id;
		}

		NormalizedInteraction build() {
			NormalizedInteraction.Builder builder = NormalizedInteraction.builder(this.source, this.connection, this.id)
				.threadId(this.thread)
				.participant("upstream-" + this.id, this.participant, "user")
				.timestamps(this.created, this.created)
				.model(this.model)
				.status(this.status)
				.tokens(this.input, this.output)
				.text("q " + this.id, "a " + this.id)
				.messages(List.of())
				.feedback(this.feedback)
				.raw(JsonNodeFactory.instance.objectNode().put("id", this.id));
			if (this.rating != null) {
				builder.rating(this.rating[0], this.rating[1], this.rating[2]);
			}
			return builder.build();
		}

		Spec withRating(BigDecimal[] rating) {
			return new Spec(this.connection, this.source, this.id, this.created, this.model, this.status, this.input,
					this.output, rating, this.feedback, this.thread, this.participant);
		}

		Spec withStatus(InteractionStatus status) {
			return new Spec(this.connection, this.source, this.id, this.created, this.model, status, this.input,
					this.output, this.rating, this.feedback, this.thread, this.participant);
		}

		Spec withTokens(Long input, Long output) {
			return new Spec(this.connection, this.source, this.id, this.created, this.model, this.status, input, output,
					this.rating, this.feedback, this.thread, this.participant);
		}

		Spec withModel(String model) {
			return new Spec(this.connection, this.source, this.id, this.created, model, this.status, this.input,
					this.output, this.rating, this.feedback, this.thread, this.participant);
		}

		Spec withCreated(Instant created) {
			return new Spec(this.connection, this.source, this.id, created, this.model, this.status, this.input,
					this.output, this.rating, this.feedback, this.thread, this.participant);
		}

		Spec withThread(String thread) {
			return new Spec(this.connection, this.source, this.id, this.created, this.model, this.status, this.input,
					this.output, this.rating, this.feedback, thread, this.participant);
		}

		Spec withParticipant(String participant) {
			return new Spec(this.connection, this.source, this.id, this.created, this.model, this.status, this.input,
					this.output, this.rating, this.feedback, this.thread, participant);
		}

		Spec withFeedback(String feedback) {
			return new Spec(this.connection, this.source, this.id, this.created, this.model, this.status, this.input,
					this.output, this.rating, feedback, this.thread, this.participant);
		}

	}

	// ---- the comparisons

	/** Every thread as the rows say, in {@code thread_summary}'s columns. */
	private static final String THREADS_OF_THE_ROWS = "SELECT connection, thread_id, min(source), "
			+ "min(COALESCE(participant_external_id, participant_id)), "
			+ "COALESCE(array_agg(DISTINCT model ORDER BY model) FILTER (WHERE model IS NOT NULL), '{}'), "
			+ "min(created_at), max(created_at), count(*), count(rating_normalized), "
			+ "COALESCE(sum(CAST(rating_normalized AS numeric)), 0), count(input_tokens), "
			+ "COALESCE(sum(input_tokens), 0), count(output_tokens), COALESCE(sum(output_tokens), 0) "
			+ "FROM interaction WHERE thread_id IS NOT NULL AND deleted_at IS NULL GROUP BY connection, thread_id";

	/** How many rows the thread summaries and the grouping of the rows do not share. */
	private static final String THREADS_DIFFER = "SELECT count(*) FROM ((SELECT * FROM thread_summary EXCEPT "
			+ THREADS_OF_THE_ROWS + ") UNION ALL (" + THREADS_OF_THE_ROWS
			+ " EXCEPT SELECT * FROM thread_summary)) AS d";

	/** Every person as the rows say, in {@code participant_summary}'s columns. */
	private static final String PEOPLE_OF_THE_ROWS = "SELECT participant_external_id, "
			+ "array_agg(DISTINCT source ORDER BY source), array_agg(DISTINCT connection ORDER BY connection), "
			+ "count(*), count(DISTINCT thread_id), min(created_at), max(created_at), count(rating_normalized), "
			+ "COALESCE(sum(CAST(rating_normalized AS numeric)), 0), count(input_tokens), "
			+ "COALESCE(sum(input_tokens), 0), count(output_tokens), COALESCE(sum(output_tokens), 0) "
			+ "FROM interaction WHERE participant_external_id IS NOT NULL AND deleted_at IS NULL "
			+ "GROUP BY participant_external_id";

	/**
	 * How many rows the participant summaries (and their counted threads and connections)
	 * and the grouping of the rows do not share.
	 */
	private static final String PEOPLE_DIFFER = "SELECT (SELECT count(*) FROM ((SELECT * FROM participant_summary "
			+ "EXCEPT " + PEOPLE_OF_THE_ROWS + ") UNION ALL (" + PEOPLE_OF_THE_ROWS
			+ " EXCEPT SELECT * FROM participant_summary)) AS d) + (SELECT count(*) FROM ("
			+ "(SELECT * FROM participant_thread EXCEPT SELECT participant_external_id, thread_id, count(*) "
			+ "FROM interaction WHERE participant_external_id IS NOT NULL AND thread_id IS NOT NULL "
			+ "AND deleted_at IS NULL GROUP BY 1, 2) UNION ALL (SELECT participant_external_id, thread_id, count(*) "
			+ "FROM interaction WHERE participant_external_id IS NOT NULL AND thread_id IS NOT NULL "
			+ "AND deleted_at IS NULL GROUP BY 1, 2 EXCEPT SELECT * FROM participant_thread)) AS t) + "
			+ "(SELECT count(*) FROM ((SELECT * FROM participant_connection EXCEPT SELECT participant_external_id, "
			+ "connection, source, count(*) FROM interaction WHERE participant_external_id IS NOT NULL "
			+ "AND deleted_at IS NULL GROUP BY 1, 2, 3) UNION ALL (SELECT participant_external_id, connection, source, "
			+ "count(*) FROM interaction WHERE participant_external_id IS NOT NULL AND deleted_at IS NULL "
			+ "GROUP BY 1, 2, 3 EXCEPT SELECT * FROM participant_connection)) AS c)";

	/** Every page of the people, from the summaries and from the rows. */
	private void samePeopleBothWays(Random random, String description) {
		int limit = 1 + random.nextInt(4);
		List<ParticipantSummary> summaries = new ArrayList<>();
		List<ParticipantSummary> grouped = new ArrayList<>();
		for (boolean fromSummaries : new boolean[] { true, false }) {
			List<ParticipantSummary> into = fromSummaries ? summaries : grouped;
			String cursor = null;
			do {
				GroupPage<ParticipantSummary> page = this.groups
					.participants(new GroupFilter(null, null, null, null, null, limit, cursor), fromSummaries);
				into.addAll(page.items());
				cursor = page.page().nextCursor();
			}
			while (cursor != null);
		}
		assertThat(summaries).as(description).hasSizeGreaterThan(3).isEqualTo(grouped);
	}

	/** Every page of a random thread listing, from the summaries and from the rows. */
	private void sameThreadsBothWays(Random random, String description) {
		String[] one = CONNECTIONS[random.nextInt(3)];
		List<String> sources = (random.nextInt(3) == 0) ? List.of(one[1]) : null;
		String connection = (random.nextInt(3) == 0) ? one[0] : null;
		int limit = 1 + random.nextInt(30);
		List<ThreadSummary> summaries = new ArrayList<>();
		List<ThreadSummary> grouped = new ArrayList<>();
		for (boolean fromSummaries : new boolean[] { true, false }) {
			List<ThreadSummary> into = fromSummaries ? summaries : grouped;
			String cursor = null;
			do {
				GroupPage<ThreadSummary> page = this.groups
					.threads(new GroupFilter(sources, connection, null, null, null, limit, cursor), fromSummaries);
				into.addAll(page.items());
				cursor = page.page().nextCursor();
			}
			while (cursor != null);
		}
		assertThat(summaries).as(description).hasSizeGreaterThan(0).isEqualTo(grouped);
	}

	/**
	 * The rollup table: its key, and its figures as text (decimals without trailing
	 * zeros).
	 */
	private Map<String, List<String>> rollupTable() {
		Map<String, List<String>> rows = new TreeMap<>();
		this.jdbc.sql("SELECT * FROM interaction_rollup").query((rs) -> {
			String key = String.join("|", io.tributary.common.Rows.instant(rs, "hour").toString(),
					rs.getString("connection"), rs.getString("source"), String.valueOf(rs.getString("model")),
					rs.getString("status"), String.valueOf(rs.getBoolean("deleted")));
			List<String> figures = new ArrayList<>();
			for (String column : List.of("count", "input_count", "input_tokens", "output_count", "output_tokens",
					"rated_count")) {
				figures.add(Long.toString(rs.getLong(column)));
			}
			figures.add(plain(rs.getBigDecimal("rating_sum")));
			figures.add(Long.toString(rs.getLong("feedback_count")));
			for (int b = 0; b < TokenHistogram.BINS; b++) {
				figures.add(Long.toString(rs.getLong("h" + b)));
			}
			rows.put(key, figures);
		});
		return rows;
	}

	/**
	 * The rollups as they should be, summed here from every interaction row (PostgreSQL
	 * only turns each rating into a decimal, as the rollups do).
	 */
	private Map<String, List<String>> aggregateOfTheRows() {
		Map<String, long[]> counts = new TreeMap<>();
		Map<String, BigDecimal> ratings = new HashMap<>();
		this.jdbc
			.sql("SELECT created_at, connection, source, model, status, deleted_at IS NOT NULL AS deleted, "
					+ "input_tokens, output_tokens, CAST(rating_normalized AS numeric) AS rating, "
					+ "feedback IS NOT NULL AS feedback FROM interaction")
			.query((rs) -> {
				Instant hour = io.tributary.common.Rows.instant(rs, "created_at").truncatedTo(ChronoUnit.HOURS);
				String key = String.join("|", hour.toString(), rs.getString("connection"), rs.getString("source"),
						String.valueOf(rs.getString("model")), rs.getString("status"),
						String.valueOf(rs.getBoolean("deleted")));
				long[] sums = counts.computeIfAbsent(key, (k) -> new long[7 + TokenHistogram.BINS]);
				Long input = rs.getObject("input_tokens", Long.class);
				Long output = rs.getObject("output_tokens", Long.class);
				BigDecimal rating = rs.getBigDecimal("rating");
				sums[0]++;
				if (input != null) {
					sums[1]++;
					sums[2] += input;
				}
				if (output != null) {
					sums[3]++;
					sums[4] += output;
					sums[7 + TokenHistogram.bin(output)]++;
				}
				if (rating != null) {
					sums[5]++;
					ratings.merge(key, rating, BigDecimal::add);
				}
				if (rs.getBoolean("feedback")) {
					sums[6]++;
				}
			});
		Map<String, List<String>> rows = new TreeMap<>();
		counts.forEach((key, sums) -> {
			List<String> figures = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				figures.add(Long.toString(sums[i]));
			}
			figures.add(plain(ratings.getOrDefault(key, BigDecimal.ZERO)));
			figures.add(Long.toString(sums[6]));
			for (int b = 0; b < TokenHistogram.BINS; b++) {
				figures.add(Long.toString(sums[7 + b]));
			}
			rows.put(key, figures);
		});
		return rows;
	}

	private static String plain(BigDecimal value) {
		return (value.signum() == 0) ? "0" : value.stripTrailingZeros().toPlainString();
	}

	/** At most five keys whose rows differ, each with both versions' first figures. */
	private static List<String> differences(Map<String, List<String>> actual, Map<String, List<String>> expected) {
		Set<String> keys = new java.util.TreeSet<>(actual.keySet());
		keys.addAll(expected.keySet());
		return keys.stream()
			.filter((key) -> !java.util.Objects.equals(actual.get(key), expected.get(key)))
			.map((key) -> key + ": " + brief(actual.get(key)) + " instead of " + brief(expected.get(key)))
			.limit(5)
			.toList();
	}

	private static String brief(List<String> figures) {
		return (figures == null) ? "none" : figures.subList(0, 8).toString();
	}

	private static Map<String, List<String>> only(Map<String, List<String>> rows, String connection) {
		Map<String, List<String>> kept = new TreeMap<>();
		rows.forEach((key, figures) -> {
			if (key.split("\\|")[1].equals(connection)) {
				kept.put(key, figures);
			}
		});
		return kept;
	}

	/** One random stats request, answered from the rollups and by the scan. */
	private void sameAnswerBothWays(Random random, String description) {
		List<String> sources = (random.nextInt(3) == 0) ? List.of(CONNECTIONS[random.nextInt(3)][1]) : null;
		String connection = (random.nextInt(3) == 0) ? CONNECTIONS[random.nextInt(3)][0] : null;
		String model = (random.nextInt(4) == 0) ? MODELS[random.nextInt(3)] : null;
		List<InteractionStatus> status = (random.nextInt(3) == 0)
				? List.of(InteractionStatus.values()[random.nextInt(3)], InteractionStatus.values()[random.nextInt(3)])
				: null;
		Instant from = switch (random.nextInt(3)) {
			case 0 -> null;
			case 1 -> BASE.plusSeconds(random.nextLong(SPAN_SECONDS)).truncatedTo(ChronoUnit.HOURS);
			default -> BASE.plusSeconds(random.nextLong(SPAN_SECONDS));
		};
		Instant to = switch (random.nextInt(3)) {
			case 0 -> null;
			case 1 -> BASE.plusSeconds(random.nextLong(SPAN_SECONDS)).truncatedTo(ChronoUnit.HOURS);
			default -> BASE.plusSeconds(random.nextLong(SPAN_SECONDS));
		};
		if (from != null && to != null && from.isAfter(to)) {
			Instant swap = from;
			from = to;
			to = swap;
		}
		Boolean includeDeleted = random.nextBoolean() ? Boolean.TRUE : null;
		InteractionFilter filter = new InteractionFilter(sources, connection, null, null, null, null, null, model,
				status, from, to, null, null, null, null, null, null, null, null, null, includeDeleted);
		List<Dimension> dimensions = new ArrayList<>();
		for (Dimension dimension : List.of(Dimension.SOURCE, Dimension.CONNECTION, Dimension.MODEL, Dimension.STATUS)) {
			if (random.nextInt(3) == 0) {
				dimensions.add(dimension);
			}
		}
		Interval interval = (random.nextInt(4) == 0) ? null : Interval.values()[random.nextInt(4)];
		StatsOptions options = new StatsOptions(dimensions, interval, ZONES[random.nextInt(ZONES.length)]);
		String request = description + ": " + filter.fingerprint() + " " + dimensions + " " + interval + " "
				+ options.tz() + " " + from + ".." + to;
		InteractionStatsPage rollups;
		InteractionStatsPage exact;
		try {
			exact = this.stats.stats(filter, options, false);
		}
		catch (InvalidParameter ex) {
			try {
				this.stats.stats(filter, options, true);
				throw new AssertionError(request + ": the scan refused it, the rollups did not");
			}
			catch (InvalidParameter same) {
				assertThat(same.getMessage()).isEqualTo(ex.getMessage());
				return;
			}
		}
		rollups = this.stats.stats(filter, options, true);
		assertThat(rollups.computedFrom()).as(request).isEqualTo("rollups");
		assertSameFigures(rollups, exact, request);
	}

	private static void assertSameFigures(InteractionStatsPage rollups, InteractionStatsPage exact, String request) {
		assertThat(rollups.groups()).as(request).hasSize(exact.groups().size());
		for (int g = 0; g < exact.groups().size(); g++) {
			InteractionStatsPage.Group estimate = rollups.groups().get(g);
			InteractionStatsPage.Group truth = exact.groups().get(g);
			String group = request + ", group " + g;
			assertThat(estimate.bucket()).as(group).isEqualTo(truth.bucket());
			assertThat(estimate.key()).as(group).isEqualTo(truth.key());
			assertThat(List.of(estimate.count(), String.valueOf(estimate.inputTokens()),
					String.valueOf(estimate.outputTokens()), estimate.ratedCount(),
					String.valueOf(estimate.avgRating()), estimate.feedbackCount(), estimate.errorCount(),
					String.valueOf(estimate.cost())))
				.as(group)
				.isEqualTo(List.of(truth.count(), String.valueOf(truth.inputTokens()),
						String.valueOf(truth.outputTokens()), truth.ratedCount(), String.valueOf(truth.avgRating()),
						truth.feedbackCount(), truth.errorCount(), String.valueOf(truth.cost())));
			assertWithinASixteenth(estimate.p50OutputTokens(), truth.p50OutputTokens(), group + ", p50");
			assertWithinASixteenth(estimate.p95OutputTokens(), truth.p95OutputTokens(), group + ", p95");
		}
	}

	private static void assertWithinASixteenth(Double estimate, Double exact, String what) {
		if (exact == null) {
			assertThat(estimate).as(what).isNull();
			return;
		}
		assertThat(estimate).as(what).isNotNull();
		assertThat(Math.abs(estimate - exact)).as(what + ": " + estimate + " for " + exact)
			.isLessThanOrEqualTo(Math.abs(exact) / 16 + 1e-9);
	}

	private String computedFrom(InteractionFilter filter, StatsOptions options) {
		return this.stats.stats(filter, options, true).computedFrom();
	}

	private static InteractionFilter filter() {
		return new InteractionFilter(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null, null, null, null, null, null);
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

}
