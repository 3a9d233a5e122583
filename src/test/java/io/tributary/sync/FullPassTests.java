package io.tributary.sync;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.tributary.IntegrationTest;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Full passes that cannot finish, or take long, never hold new data back: every poll
 * reads each stream's head first, the pass goes on in slices from its saved positions, a
 * pass that keeps failing backs off and says so, and a saved position the upstream
 * refuses restarts its stream.
 */
@IntegrationTest
class FullPassTests {

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static int counter;

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private JdbcClient jdbc;

	private String name;

	@BeforeEach
	void fresh() {
		this.name = "passes-" + (++counter);
		upstream.resetAll();
	}

	@Test
	void aPassThatCannotFinishHoldsNoNewDataBackAndBacksOff() {
		SyncRuns.Connection greenflash = greenflash();
		listing(item("g6", "12:00"), item("g5", "11:30"), item("g4", "11:00"), item("g3", "10:30"), item("g2", "10:00"),
				item("g1", "09:30"));
		assertThat(greenflash.run(this.name, SyncMode.FULL).outcome()).isEqualTo("succeeded");
		// a day later the full pass is due, and page 3 of the listing now always fails
		this.jdbc.sql("UPDATE sync_run SET started_at = now() - interval '25 hours' WHERE connection = ?")
			.param(this.name)
			.update();
		listing(item("n1", "13:00"), item("g6", "12:00"), item("g5", "11:30"), item("g4", "11:00"), item("g3", "10:30"),
				item("g2", "10:00"), item("g1", "09:30"));
		failFrom(4);

		List<SyncRun> first = greenflash.poll(this.name);

		assertThat(first).extracting(SyncRun::mode, SyncRun::outcome)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(SyncMode.INCREMENTAL, "succeeded"),
					org.assertj.core.groups.Tuple.tuple(SyncMode.FULL, "failed"));
		assertThat(stored()).contains("n1");
		PassStatus stuck = greenflash.pass(this.name);
		assertThat(stuck.state()).isEqualTo("backing-off");
		assertThat(stuck.failures()).isEqualTo(1);
		assertThat(stuck.lastError()).contains("500");
		assertThat(stuck.nextAttemptAt()).isNotNull();

		listing(item("n2", "13:30"), item("n1", "13:00"), item("g6", "12:00"), item("g5", "11:30"), item("g4", "11:00"),
				item("g3", "10:30"), item("g2", "10:00"), item("g1", "09:30"));
		failFrom(4);
		List<SyncRun> second = greenflash.poll(this.name);

		assertThat(second).as("the pass backs off; the head is read")
			.extracting(SyncRun::mode)
			.containsExactly(SyncMode.INCREMENTAL);
		assertThat(stored()).contains("n2");

		// the backoff has passed: the pass is tried again from where it stopped, and
		// fails again, so it waits twice as long
		this.jdbc
			.sql("UPDATE sync_run SET finished_at = now() - interval '6 minutes' WHERE connection = ? "
					+ "AND mode = 'full' AND outcome = 'failed'")
			.param(this.name)
			.update();
		List<SyncRun> third = greenflash.poll(this.name);
		assertThat(third).extracting(SyncRun::mode).containsExactly(SyncMode.INCREMENTAL, SyncMode.FULL);
		assertThat(third.get(1).resumedFrom()).isEqualTo(first.get(1).id());
		PassStatus still = greenflash.pass(this.name);
		assertThat(still.failures()).isEqualTo(2);
		assertThat(Duration.between(third.get(1).finishedAt(), still.nextAttemptAt()))
			.isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void theFirstPollOfABackfillReadsTheHeadAndLeavesTheRestToThePass() {
		SyncRuns.Connection greenflash = greenflash();
		String[] items = new String[30];
		for (int i = 0; i < items.length; i++) {
			items[i] = item("b" + (30 - i), String.format(java.util.Locale.ROOT, "%02d:%02d", 12 - i / 4, 59 - i));
		}
		listing(items);

		List<SyncRun> first = greenflash.poll(this.name);

		assertThat(first).extracting(SyncRun::mode).containsExactly(SyncMode.INCREMENTAL, SyncMode.FULL);
		assertThat(first.get(0).pages()).as("the head: ten pages at most, not the whole listing of 29")
			.isBetween(2, 10);
		assertThat(first.get(1).outcome()).isEqualTo("succeeded");
		assertThat(stored()).hasSize(30);
	}

	@Test
	void aLongPassGoesOnInSlicesFromItsSavedPositions() {
		SyncRuns.Connection greenflash = greenflash();
		listing(item("s6", "12:00"), item("s5", "11:30"), item("s4", "11:00"), item("s3", "10:30"), item("s2", "10:00"),
				item("s1", "09:30"));

		// every slice is over before its first page: each still gets further than the
		// page it resumes at, and the last one lands the end marker and completes
		List<SyncRun> slices = slices(greenflash, 8);

		assertThat(slices.get(0).pages()).isEqualTo(2);
		assertThat(slices).extracting(SyncRun::outcome).last().isEqualTo("succeeded");
		assertThat(slices.subList(0, slices.size() - 1)).extracting(SyncRun::outcome).containsOnly("paused");
		for (int i = 1; i < slices.size(); i++) {
			assertThat(slices.get(i).resumedFrom()).isEqualTo(slices.get(i - 1).id());
		}
		assertThat(stored()).containsExactlyInAnyOrder("s1", "s2", "s3", "s4", "s5", "s6");
		assertThat(greenflash.pass(this.name).state()).isEqualTo("idle");
	}

	@Test
	void aSlicedPassLeavesTheHeadsToThePollAndNeverSetsTheirWatermarkBack() {
		SyncRuns.Connection greenflash = greenflash();
		listing(item("w6", "12:00"), item("w5", "11:30"), item("w4", "11:00"), item("w3", "10:30"), item("w2", "10:00"),
				item("w1", "09:30"));
		assertThat(greenflash.runSliced(this.name, SyncMode.FULL, Duration.ofNanos(1)).outcome()).isEqualTo("paused");
		// while the pass is under way a new item arrives, and the poll's incremental run
		// reads it
		listing(item("new", "13:00"), item("w6", "12:00"), item("w5", "11:30"), item("w4", "11:00"),
				item("w3", "10:30"), item("w2", "10:00"), item("w1", "09:30"));
		assertThat(greenflash.run(this.name, SyncMode.INCREMENTAL).outcome()).isEqualTo("succeeded");
		upstream.resetRequests();

		List<SyncRun> rest = slices(greenflash, 8);

		assertThat(rest).extracting(SyncRun::outcome).last().isEqualTo("succeeded");
		assertThat(SyncRuns.requests(upstream,
				mine(getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1")))))
			.as("the slices read on from the saved positions; the heads are the poll's")
			.isZero();
		assertThat(this.jdbc.sql("SELECT watermark FROM sync_stream WHERE connection = ?")
			.param(this.name)
			.query(java.time.OffsetDateTime.class)
			.single()
			.toInstant()).isEqualTo(java.time.Instant.parse("2026-11-20T13:00:00Z"));
		assertThat(stored()).contains("new", "w1");
	}

	/**
	 * Slices of a pass, each over before its first page, until one is not paused.
	 */
	private static List<SyncRun> slices(SyncRuns.Connection connection, int most) {
		List<SyncRun> slices = new java.util.ArrayList<>();
		String name = "passes-" + counter;
		do {
			slices.add(connection.runSliced(name, SyncMode.FULL, Duration.ofNanos(1)));
		}
		while ("paused".equals(slices.get(slices.size() - 1).outcome()) && slices.size() < most);
		return slices;
	}

	@Test
	void aResumedGreenflashPassReadsItsSavedPageOnceAndDoesNotStepBack() {
		SyncRuns.Connection greenflash = greenflash();
		listing(item("a6", "12:00"), item("a5", "11:30"), item("a4", "11:00"), item("a3", "10:30"), item("a2", "10:00"),
				item("a1", "09:30"));
		failFrom(3);
		assertThat(greenflash.run(this.name, SyncMode.FULL).outcome()).isEqualTo("failed");
		listing(item("a6", "12:00"), item("a5", "11:30"), item("a4", "11:00"), item("a3", "10:30"), item("a2", "10:00"),
				item("a1", "09:30"));
		upstream.resetRequests();

		SyncRun resumed = greenflash.run(this.name, SyncMode.FULL);

		assertThat(resumed.outcome()).isEqualTo("succeeded");
		assertThat(resumed.resumedFrom()).isNotNull();
		assertThat(stored()).containsExactlyInAnyOrder("a1", "a2", "a3", "a4", "a5", "a6");
		assertThat(SyncRuns.requests(upstream,
				mine(getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1")))))
			.as("the head, read again after the resumed pages (a run read to its end)")
			.isEqualTo(1);
		assertThat(
				SyncRuns.requests(upstream,
						mine(getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withQueryParam("offset",
								matching("[01]")))))
			.as("the saved page lists its first item again: no reading back")
			.isZero();
		assertThat(SyncRuns.requests(upstream,
				mine(getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withQueryParam("offset", equalTo("2")))))
			.as("the saved page, once")
			.isEqualTo(1);
		assertThat(SyncRuns.requests(upstream, mine(getRequestedFor(urlPathMatching("/api/v1/interactions/.+")))))
			.as("rows the stopped run of the pass listed count as listed: only the probe that trusts the detail's 404")
			.isLessThanOrEqualTo(1);
	}

	@Test
	void aReplicaThatTakesOverALongPassReadsNewDataFirstThenResumesThePass() {
		SyncRuns.Connection greenflash = greenflash();
		listing(item("r6", "12:00"), item("r5", "11:30"), item("r4", "11:00"), item("r3", "10:30"), item("r2", "10:00"),
				item("r1", "09:30"));
		assertThat(greenflash.run(this.name, SyncMode.FULL).outcome()).isEqualTo("succeeded");
		SyncRun stopped = greenflash.runSliced(this.name, SyncMode.FULL, Duration.ofNanos(1));
		assertThat(stopped.outcome()).isEqualTo("paused");
		// the replica running the pass's next slice died: its run still says running, and
		// its lock has lapsed
		long dead = this.jdbc
			.sql("INSERT INTO sync_run (connection, mode, pass_id, resumed_from) VALUES (?, 'full', ?, ?) "
					+ "RETURNING id")
			.param(this.name)
			.param(stopped.id())
			.param(stopped.id())
			.query(Long.class)
			.single();
		listing(item("new", "12:30"), item("r6", "12:00"), item("r5", "11:30"), item("r4", "11:00"),
				item("r3", "10:30"), item("r2", "10:00"), item("r1", "09:30"));

		List<SyncRun> taken = greenflash.poll(this.name);

		assertThat(taken).extracting(SyncRun::mode, SyncRun::outcome)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(SyncMode.INCREMENTAL, "succeeded"),
					org.assertj.core.groups.Tuple.tuple(SyncMode.FULL, "succeeded"));
		assertThat(taken.get(1).resumedFrom()).as("the dead run's abandonment is no failure of the pass")
			.isEqualTo(dead);
		assertThat(stored()).contains("new");
	}

	@Test
	void aPassWhosePageTakesItsProcessDownEveryTimeBacksOff() {
		SyncRuns.Connection greenflash = greenflash();
		listing(item("k6", "12:00"), item("k5", "11:30"), item("k4", "11:00"), item("k3", "10:30"), item("k2", "10:00"),
				item("k1", "09:30"));
		SyncRun paused = greenflash.runSliced(this.name, SyncMode.FULL, Duration.ofNanos(1));
		assertThat(paused.outcome()).isEqualTo("paused");
		abandoned(paused.id());
		assertThat(greenflash.pass(this.name).state()).as("one replica that died is no failure of the pass")
			.isEqualTo("in-progress");

		abandoned(paused.id());

		PassStatus crashing = greenflash.pass(this.name);
		assertThat(crashing.state()).isEqualTo("backing-off");
		assertThat(crashing.failures()).isEqualTo(1);
		assertThat(greenflash.poll(this.name)).extracting(SyncRun::mode).containsExactly(SyncMode.INCREMENTAL);
	}

	@Test
	void aPassWhoseFirstRunIsStillRunningIsShownInProgress() {
		SyncRuns.Connection greenflash = greenflash();
		long id = this.jdbc.sql("INSERT INTO sync_run (connection, mode) VALUES (?, 'full') RETURNING id")
			.param(this.name)
			.query(Long.class)
			.single();
		this.jdbc.sql("UPDATE sync_run SET pass_id = id WHERE id = ?").param(id).update();

		PassStatus running = greenflash.pass(this.name);

		assertThat(running.state()).isEqualTo("in-progress");
		assertThat(running.passId()).isEqualTo(id);
		assertThat(running.runs()).isEqualTo(1);
	}

	/** A run of the pass that a dead process left, as the next tick records it. */
	private void abandoned(long passId) {
		this.jdbc
			.sql("INSERT INTO sync_run (connection, mode, pass_id, outcome, finished_at, error) "
					+ "VALUES (?, 'full', ?, 'failed', now(), 'abandoned: the process running it stopped before it "
					+ "finished')")
			.param(this.name)
			.param(passId)
			.update();
	}

	@Test
	void aSavedPositionTheUpstreamRefusesRestartsItsStream() {
		SyncRuns.Connection zylon = this.syncs.at(upstream, "zylon", "passes-zylon-key", "page-size", "2", "zylon.org",
				"acme", "zylon.project-ids", "p1", "zylon.api-variant", "project", "retry.max-attempts", "1");
		zylonPage(null, "c1", zylonItem("z6", "12:00"), zylonItem("z5", "11:30"));
		zylonPage("c1", "c2", zylonItem("z4", "11:00"), zylonItem("z3", "10:30"));
		upstream.stubFor(zylonList("c2").willReturn(aResponse().withStatus(502)));
		assertThat(zylon.run(this.name, SyncMode.FULL).outcome()).isEqualTo("failed");
		// the outage outlived the cursors: the saved one is refused, a fresh read gets
		// new
		// ones
		upstream.stubFor(zylonList("c1").willReturn(aResponse().withStatus(400)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"detail\":\"cursor expired\"}")));
		zylonPage(null, "d1", zylonItem("z6", "12:00"), zylonItem("z5", "11:30"));
		zylonPage("d1", "d2", zylonItem("z4", "11:00"), zylonItem("z3", "10:30"));
		zylonPage("d2", null, zylonItem("z2", "10:00"));

		SyncRun resumed = zylon.run(this.name, SyncMode.FULL);

		assertThat(resumed.outcome()).isEqualTo("succeeded");
		assertThat(resumed.resumedFrom()).isNotNull();
		assertThat(stored()).contains("z2");
	}

	@Test
	void aStreamRestartsOncePerPassSoARefusalThatComesBackFailsThePassInsteadOfCycling() {
		SyncRuns.Connection zylon = zylon();
		zylonPage(null, "c1", zylonItem("z6", "12:00"), zylonItem("z5", "11:30"));
		zylonPage("c1", "c2", zylonItem("z4", "11:00"), zylonItem("z3", "10:30"));
		upstream.stubFor(zylonList("c2").willReturn(aResponse().withStatus(502)));
		assertThat(zylon.run(this.name, SyncMode.FULL).outcome()).isEqualTo("failed");
		// the saved cursor is refused: the stream restarts, and fails further down
		refuse("c1");
		zylonPage(null, "d1", zylonItem("z6", "12:00"), zylonItem("z5", "11:30"));
		zylonPage("d1", "d2", zylonItem("z4", "11:00"), zylonItem("z3", "10:30"));
		upstream.stubFor(zylonList("d2").willReturn(aResponse().withStatus(502)));
		SyncRun restarted = zylon.run(this.name, SyncMode.FULL);
		assertThat(restarted.outcome()).isEqualTo("failed");
		assertThat(restarted.error()).contains("502");
		// the cursors expire again before the next run: no second restart in this pass
		refuse("d1");
		upstream.resetRequests();

		SyncRun again = zylon.run(this.name, SyncMode.FULL);

		assertThat(again.outcome()).isEqualTo("failed");
		assertThat(again.resumedFrom()).isEqualTo(restarted.id());
		assertThat(again.error()).contains("400");
		assertThat(
				SyncRuns.requests(upstream,
						mine(getRequestedFor(urlPathEqualTo("/api/v1/app/project/p1/interaction"))
							.withQueryParam("after", absent()))))
			.as("the stream is not read from its start a second time in the pass")
			.isZero();
	}

	@Test
	void aSavedCursorAnsweredWithAStatusThatSaysNothingOfItDoesNotRestartTheStream() {
		SyncRuns.Connection zylon = zylon();
		zylonPage(null, "c1", zylonItem("z6", "12:00"), zylonItem("z5", "11:30"));
		zylonPage("c1", "c2", zylonItem("z4", "11:00"), zylonItem("z3", "10:30"));
		upstream.stubFor(zylonList("c2").willReturn(aResponse().withStatus(502)));
		assertThat(zylon.run(this.name, SyncMode.FULL).outcome()).isEqualTo("failed");
		// 409 is transient, and a 404 from Zylon's list is an instance without it
		for (int status : new int[] { 409, 404 }) {
			upstream.stubFor(zylonList("c1").willReturn(aResponse().withStatus(status)));
			upstream.resetRequests();

			SyncRun resumed = zylon.run(this.name, SyncMode.FULL);

			assertThat(resumed.outcome()).isEqualTo("failed");
			assertThat(resumed.error()).contains(String.valueOf(status));
			assertThat(
					SyncRuns
						.requests(upstream,
								mine(getRequestedFor(urlPathEqualTo("/api/v1/app/project/p1/interaction"))
									.withQueryParam("after", absent()))))
				.as("status %d restarts nothing", status)
				.isZero();
		}
	}

	private SyncRuns.Connection zylon() {
		return this.syncs.at(upstream, "zylon", key(), "page-size", "2", "zylon.org", "acme", "zylon.project-ids", "p1",
				"zylon.api-variant", "project", "retry.max-attempts", "1");
	}

	/**
	 * This test's key: requests are counted by it, since a paused slice of an earlier
	 * test may still have a page request in flight.
	 */
	private String key() {
		return this.name + "-key";
	}

	/** Requests made with this test's key. */
	private RequestPatternBuilder mine(RequestPatternBuilder requests) {
		return requests.withHeader("Authorization", containing(key()));
	}

	private static void refuse(String cursor) {
		upstream.stubFor(zylonList(cursor).willReturn(aResponse().withStatus(400)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"detail\":\"cursor expired\"}")));
	}

	@Test
	void anIdleIncrementalRunReadsOpenItemsByTheirDetailNotByReadingBack() {
		SyncRuns.Connection zylon = this.syncs.at(upstream, "zylon", "passes-zylon-key", "page-size", "2", "overlap",
				"PT0S", "zylon.org", "acme", "zylon.project-ids", "p1", "zylon.api-variant", "project",
				"retry.max-attempts", "1");
		zylonPage(null, "c1", zylonItem("z6", "12:00"), zylonItem("z5", "11:30"));
		zylonPage("c1", "c2", zylonItem("z4", "11:00"), zylonItem("z3", "10:30"));
		zylonPage("c2", null, zylonItem("z2", "10:00").replace("Completed", "Processing"), zylonItem("z1", "09:30"));
		assertThat(zylon.run(this.name, SyncMode.FULL, "recheck-open-for", "P3650D").outcome()).isEqualTo("succeeded");
		upstream.stubFor(get(urlPathEqualTo("/api/v1/app/interaction/z2"))
			.willReturn(okJson(zylonItem("z2", "10:00").replace("\"user_input\"",
					"\"assistant_output\":{\"content\":[{\"type\":\"text\",\"data\":\"the answer\"}]},"
							+ "\"user_input\""))));
		upstream.resetRequests();

		assertThat(zylon.run(this.name, SyncMode.INCREMENTAL, "recheck-open-for", "P3650D").outcome())
			.isEqualTo("succeeded");

		assertThat(SyncRuns.requests(upstream, getRequestedFor(urlPathEqualTo("/api/v1/app/project/p1/interaction"))))
			.as("the head only, not three pages down to the open item")
			.isLessThanOrEqualTo(2);
		assertThat(SyncRuns.requests(upstream, getRequestedFor(urlPathEqualTo("/api/v1/app/interaction/z2"))))
			.isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT status FROM interaction WHERE connection = ? AND source_id = 'z2'")
			.param(this.name)
			.query(String.class)
			.single()).isEqualTo("completed");
	}

	private SyncRuns.Connection greenflash() {
		return this.syncs.at(upstream, "greenflash", key(), "page-size", "2", "overlap", "PT0S",
				"greenflash.fetch-messages", "false", "retry.max-attempts", "1");
	}

	/**
	 * Serves one Greenflash listing as Greenflash pages it: {@code page=1}, then by
	 * {@code offset}, two items each.
	 */
	private static void listing(String... items) {
		upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo("1"))
			.willReturn(okJson(window(items, 0))));
		for (int offset = 0; offset <= items.length + 2; offset++) {
			upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", absent())
				.withQueryParam("offset", equalTo(String.valueOf(offset)))
				.willReturn(okJson(window(items, offset))));
		}
	}

	/**
	 * Every offset from {@code offset} on answers 500, always: a pass can never finish.
	 */
	private static void failFrom(int offset) {
		for (int at = offset; at <= offset + 20; at++) {
			upstream.stubFor(get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", absent())
				.withQueryParam("offset", equalTo(String.valueOf(at)))
				.willReturn(aResponse().withStatus(500)));
		}
	}

	private static String window(String[] items, int from) {
		List<String> all = List.of(items);
		return "[" + String.join(",", all.subList(Math.min(from, all.size()), Math.min(from + 2, all.size()))) + "]";
	}

	private static String item(String id, String time) {
		String at = "2026-11-20T" + time + ":00Z";
		return "{\"id\":\"" + id + "\",\"createdAt\":\"" + at + "\",\"updatedAt\":\"" + at + "\"}";
	}

	private static MappingBuilder zylonList(String after) {
		MappingBuilder request = get(urlPathEqualTo("/api/v1/app/project/p1/interaction"));
		return (after != null) ? request.withQueryParam("after", equalTo(after))
				: request.withQueryParam("after", absent());
	}

	private static void zylonPage(String after, String next, String... items) {
		upstream
			.stubFor(zylonList(after).willReturn(okJson("{\"data\":[" + String.join(",", items) + "],\"next_cursor\":"
					+ ((next != null) ? "\"" + next + "\"" : "null") + ",\"has_next_page\":" + (next != null) + "}")));
	}

	private static String zylonItem(String id, String time) {
		return "{\"id\":\"" + id + "\",\"project_id\":\"p1\",\"thread_id\":\"t\",\"state\":\"Completed\","
				+ "\"user_input\":{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"data\":\"q " + id + "\"}]},"
				+ "\"created_at\":\"2026-11-20T" + time + ":00Z\"}";
	}

	private List<String> stored() {
		return this.jdbc.sql("SELECT source_id FROM interaction WHERE connection = ?")
			.param(this.name)
			.query(String.class)
			.list();
	}

}
