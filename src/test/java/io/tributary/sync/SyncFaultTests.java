package io.tributary.sync;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.tributary.IntegrationTest;
import io.tributary.source.SyncMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstream faults against a whole sync run: what is retried, what fails the run, and that
 * nothing is lost.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class SyncFaultTests {

	private static final String KEY = "fault-test-secret-key";

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private SyncService sync;

	@Autowired
	private SyncRunStore runs;

	@Autowired
	private StreamStore streams;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private RejectStore rejects;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private org.springframework.test.web.servlet.MockMvc mvc;

	@Autowired
	private tools.jackson.databind.json.JsonMapper json;

	private static int counter;

	private String name;

	@BeforeEach
	void fresh() {
		this.name = "faults-" + (++counter);
	}

	@Test
	void oddItemsAreQuarantinedAndTheRunSucceedsWithTheRest() {
		String good = item("good-1", "2026-11-20T12:00:00Z", "hello");
		String nul = item("nul-1", "2026-11-20T11:59:00Z", "before\\u0000after");
		String noId = item(null, "2026-11-20T11:58:00Z", "no id");
		String badTime = item("bad-time-1", "the day before yesterday", "bad time");
		upstream.stubFor(page(1).willReturn(okJson(
				"{\"items\":[" + good + "," + nul + "," + noId + "," + badTime + "],\"meta\":{\"has_next\":false}}")));

		SyncRun run = run(SyncMode.FULL, "page-size", "4");

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.fetched()).isEqualTo(4);
		assertThat(run.inserted()).isEqualTo(2);
		assertThat(run.rejected()).isEqualTo(2);
		assertThat(stored()).containsExactlyInAnyOrder("good-1", "nul-1");
		assertThat(this.jdbc.sql("SELECT input_text FROM interaction WHERE connection = ? AND source_id = 'nul-1'")
			.param(this.name)
			.query(String.class)
			.single()).as("U+0000 dropped, the rest kept").isEqualTo("beforeafter");
		List<RejectStore.Reject> rejects = this.rejects.list(this.name, null, 10);
		assertThat(rejects).extracting(RejectStore.Reject::sourceId).containsExactlyInAnyOrder(null, "bad-time-1");
		assertThat(rejects).filteredOn((reject) -> "bad-time-1".equals(reject.sourceId()))
			.singleElement()
			.satisfies((reject) -> {
				assertThat(reject.reason()).contains("the day before yesterday");
				assertThat(reject.payload().get("id").asString()).isEqualTo("bad-time-1");
				assertThat(reject.lastRunId()).isEqualTo(run.id());
			});
		assertThat(this.jdbc.sql("SELECT count(*) FROM sync_reject WHERE payload::text LIKE ?")
			.param("%" + KEY + "%")
			.query(Long.class)
			.single()).as("the connection's key never lands in the quarantine").isZero();

		// the upstream fixes the item: the next run stores it and clears its reject
		upstream.stubFor(page(1).willReturn(okJson("{\"items\":[" + good + ","
				+ item("bad-time-1", "2026-11-20T11:57:00Z", "fixed") + "],\"meta\":{\"has_next\":false}}")));
		SyncRun again = run(SyncMode.FULL);

		assertThat(again.rejected()).isZero();
		assertThat(stored()).contains("bad-time-1");
		assertThat(this.rejects.list(this.name, null, 10)).extracting(RejectStore.Reject::sourceId)
			.containsExactly((String) null);
	}

	@Test
	void anItemPostgresRefusesIsQuarantinedAndTheRestOfItsPageStored() {
		upstream.stubFor(page(1).willReturn(okJson("{\"items\":[" + item("ok-1", "2026-11-20T12:00:00Z", "fine") + ","
				+ item("far-future", "+300000-01-01T00:00:00Z", "beyond PostgreSQL's calendar") + ","
				+ item("ok-2", "2026-11-20T11:00:00Z", "fine too") + "],\"meta\":{\"has_next\":false}}")));

		SyncRun run = run(SyncMode.FULL, "page-size", "3");

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.inserted()).isEqualTo(2);
		assertThat(run.rejected()).isEqualTo(1);
		assertThat(stored()).containsExactlyInAnyOrder("ok-1", "ok-2");
		assertThat(this.rejects.list(this.name, null, 10)).singleElement().satisfies((reject) -> {
			assertThat(reject.sourceId()).isEqualTo("far-future");
			assertThat(reject.reason()).startsWith("not stored: PostgreSQL refused it (SQLSTATE")
				.doesNotContain("300000");
		});
	}

	@Test
	void aRejectedItemIsCountedOnceAndSeenAgainByLaterRuns() {
		upstream.stubFor(page(1)
			.willReturn(okJson("{\"items\":[" + item("bad", "soon", "x") + "],\"meta\":{\"has_next\":false}}")));

		run(SyncMode.FULL);
		SyncRun second = run(SyncMode.FULL);

		assertThat(second.outcome()).isEqualTo("succeeded");
		assertThat(this.rejects.list(this.name, null, 10)).singleElement()
			.satisfies((reject) -> assertThat(reject.timesSeen()).isEqualTo(2));
	}

	@Test
	void serverErrorThenSuccessIsRetried() {
		upstream.stubFor(page(1).inScenario("s")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("up"));
		upstream.stubFor(page(1).inScenario("s").whenScenarioStateIs("up").willReturn(okJson(envelope(1, 3, false))));

		SyncRun run = run(SyncMode.FULL, "page-size", "3");

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.inserted()).isEqualTo(3);
		assertThat(requests()).isEqualTo(2);
	}

	@Test
	void tooManyRequestsHonoursRetryAfter() {
		upstream.stubFor(page(1).inScenario("r")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("Rate limit reached"))
			.willSetStateTo("ok"));
		upstream.stubFor(page(1).inScenario("r").whenScenarioStateIs("ok").willReturn(okJson(envelope(1, 2, false))));

		long started = System.nanoTime();
		SyncRun run = run(SyncMode.FULL);

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat((System.nanoTime() - started) / 1_000_000).as("waited for Retry-After").isGreaterThanOrEqualTo(950);
	}

	@Test
	void retryAfterMillisecondsIsHonoured() {
		upstream.stubFor(page(1).inScenario("m")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(429).withHeader("retry-after-ms", "700"))
			.willSetStateTo("ok"));
		upstream.stubFor(page(1).inScenario("m").whenScenarioStateIs("ok").willReturn(okJson(envelope(1, 2, false))));

		long started = System.nanoTime();
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");
		assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(650);
	}

	@Test
	void readTimeoutIsRetried() {
		upstream.stubFor(page(1).inScenario("t")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson(envelope(1, 2, false)).withFixedDelay(1500))
			.willSetStateTo("fast"));
		upstream.stubFor(page(1).inScenario("t").whenScenarioStateIs("fast").willReturn(okJson(envelope(1, 2, false))));

		SyncRun run = run(SyncMode.FULL);

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.inserted()).isEqualTo(2);
		assertThat(requests()).isEqualTo(2);
	}

	@Test
	void retriesStopAtTheBudget() {
		upstream.stubFor(page(1).willReturn(aResponse().withStatus(500).withBody("{\"error\":\"boom\"}")));

		SyncRun run = run(SyncMode.FULL);

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).contains("GET /api/v1/interactions answered 500", "gave up after 3 attempts");
		assertThat(requests()).isEqualTo(3);
	}

	@Test
	void theServersShouldRetryHeaderWins() {
		upstream.stubFor(page(1).willReturn(aResponse().withStatus(503).withHeader("x-should-retry", "false")));
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("failed");
		assertThat(requests()).as("503 with x-should-retry: false is not retried").isEqualTo(1);

		upstream.stubFor(page(1).inScenario("x")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(400).withHeader("x-should-retry", "true"))
			.willSetStateTo("ok"));
		upstream.stubFor(page(1).inScenario("x").whenScenarioStateIs("ok").willReturn(okJson(envelope(1, 1, false))));
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");
		assertThat(requests()).as("400 with x-should-retry: true is retried").isEqualTo(2);
	}

	@Test
	void malformedJsonFailsTheRunAndLeavesTheCheckpoint() {
		upstream.stubFor(page(1).willReturn(okJson(envelope(1, 2, false))));
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");
		Instant watermark = watermark();
		upstream.stubFor(page(1).willReturn(okJson("{\"items\": [ {\"id\": ")));

		SyncRun run = run(SyncMode.FULL);

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).contains("GET /api/v1/interactions answered a truncated or malformed body",
				"gave up after 3 attempts");
		assertThat(requests()).as("retried like a 5xx").isEqualTo(3);
		assertThat(watermark()).isEqualTo(watermark);
	}

	@Test
	void aTruncatedBodyThenAResetConnectionAreRetriedThenTheRunSucceeds() {
		String whole = envelope(1, 3, false);
		upstream.stubFor(page(1).inScenario("cut")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson(whole.substring(0, whole.length() / 2)))
			.willSetStateTo("reset"));
		upstream.stubFor(page(1).inScenario("cut")
			.whenScenarioStateIs("reset")
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
			.willSetStateTo("whole"));
		upstream.stubFor(page(1).inScenario("cut").whenScenarioStateIs("whole").willReturn(okJson(whole)));

		SyncRun run = run(SyncMode.FULL, "page-size", "3");

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.inserted()).isEqualTo(3);
		assertThat(requests()).isEqualTo(3);
	}

	@Test
	void anAnswerSlowerThanTheCallTimeoutIsRetried() {
		upstream.stubFor(page(1).inScenario("slow")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson(envelope(1, 2, false)).withChunkedDribbleDelay(20, 2000))
			.willSetStateTo("fast"));
		upstream
			.stubFor(page(1).inScenario("slow").whenScenarioStateIs("fast").willReturn(okJson(envelope(1, 2, false))));

		SyncRun run = run(SyncMode.FULL, "call-timeout", "PT1S", "read-timeout", "PT5S");

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(requests()).as("the dribbled answer never finished within call-timeout").isEqualTo(2);
	}

	@Test
	void unauthorizedFailsAtOnceNamingPathAndStatusButNeverTheKey(CapturedOutput output) {
		upstream.stubFor(
				page(1).willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"Invalid token " + KEY + "\"}")));

		SyncRun run = run(SyncMode.FULL);

		assertThat(run.outcome()).isEqualTo("failed");
		assertThat(run.error()).contains("GET /api/v1/interactions answered 401").doesNotContain(KEY);
		assertThat(requests()).isEqualTo(1);
		assertThat(output.getAll()).contains("connection '" + this.name + "'", "answered 401").doesNotContain(KEY);
		upstream.verify(getRequestedFor(urlPathEqualTo("/api/v1/interactions")).withHeader("Authorization",
				equalTo("Token " + KEY)));
	}

	@Test
	void failureAfterSomePagesThenRerunStoresExactlyTheUpstreamSet() {
		// a first complete run sets the watermark
		upstream.stubFor(page(1).willReturn(okJson(envelope(1, 2, false, 100))));
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");
		Instant watermark = watermark();
		// then six newer interactions over three pages; the third page keeps failing
		upstream.stubFor(page(1).willReturn(okJson(envelope(1, 2, true, 0))));
		upstream.stubFor(page(2).willReturn(okJson(envelope(2, 2, true, 0))));
		upstream.stubFor(page(3).willReturn(aResponse().withStatus(502)));

		SyncRun failed = run(SyncMode.INCREMENTAL);

		assertThat(failed.outcome()).isEqualTo("failed");
		assertThat(failed.pages()).isEqualTo(2);
		assertThat(watermark()).as("watermark stays until a run reads down to it").isEqualTo(watermark);

		upstream.stubFor(page(3).willReturn(okJson(envelope(3, 2, true, 0))));
		upstream.stubFor(page(4).willReturn(okJson(envelope(1, 2, false, 100))));
		SyncRun rerun = run(SyncMode.INCREMENTAL);

		assertThat(rerun.outcome()).isEqualTo("succeeded");
		Set<String> upstreamIds = new HashSet<>();
		for (int p = 1; p <= 3; p++) {
			upstreamIds.addAll(ids(p, 2, 0));
		}
		upstreamIds.addAll(ids(1, 2, 100));
		assertThat(stored()).isEqualTo(upstreamIds);
		assertThat(watermark()).isAfter(watermark);
	}

	@Test
	void aTimestampInTheFutureIsFlaggedAndNeverMovesTheWatermark() {
		upstream
			.stubFor(page(1).willReturn(okJson("{\"items\":[" + item("from-the-future", "2099-01-01T00:00:00Z", "hi")
					+ "," + item("today", "2026-11-20T12:00:00Z", "hi") + "],\"meta\":{\"has_next\":false}}")));

		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");

		assertThat(watermark()).isEqualTo(Instant.parse("2026-11-20T12:00:00Z"));
		assertThat(attribute("from-the-future", PageRules.FUTURE_FLAG)).isEqualTo("true");
		assertThat(attribute("today", PageRules.FUTURE_FLAG)).isNull();
	}

	@Test
	void aFailedFullRunIsResumedFromItsLastCommittedPageWithTheSamePinnedEndTime() {
		upstream.stubFor(page(1).willReturn(okJson(envelope(1, 2, true, 0))));
		upstream.stubFor(page(2).willReturn(okJson(envelope(2, 2, true, 0))));
		upstream.stubFor(page(3).willReturn(aResponse().withStatus(502)));

		SyncRun failed = run(SyncMode.FULL);
		String endTime = upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions")))
			.get(0)
			.queryParameter("end_time")
			.firstValue();

		assertThat(failed.outcome()).isEqualTo("failed");
		assertThat(failed.pages()).isEqualTo(2);
		upstream.stubFor(page(3).willReturn(okJson(envelope(3, 2, false, 0))));

		SyncRun resumed = run(SyncMode.FULL);

		assertThat(resumed.outcome()).isEqualTo("succeeded");
		assertThat(resumed.resumedFrom()).isEqualTo(failed.id());
		List<String> requested = upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions")))
			.stream()
			.map((request) -> request.queryParameter("page").firstValue() + "@"
					+ request.queryParameter("end_time").firstValue())
			.toList();
		assertThat(requested.subList(0, 2)).as("the last committed page again, then on; with the first run's end_time")
			.containsExactly("2@" + endTime, "3@" + endTime);
		assertThat(requested.subList(2, requested.size())).as("then the head again, as of now, down to the pass start")
			.singleElement()
			.satisfies((request) -> assertThat(request).startsWith("1@").isNotEqualTo("1@" + endTime));
		Set<String> upstreamIds = new HashSet<>();
		for (int p = 1; p <= 3; p++) {
			upstreamIds.addAll(ids(p, 2, 0));
		}
		assertThat(stored()).isEqualTo(upstreamIds);
		assertThat(watermark()).as("the pass saw page 1 in the first run").isEqualTo(newest(1, 0));

		SyncRun next = run(SyncMode.FULL);
		assertThat(next.resumedFrom()).as("a finished pass is not resumed").isNull();
		assertThat(requests()).isEqualTo(3);
	}

	@Test
	void anIncrementalRunNeverResumesAndAStoppedPassOlderThanTheLimitStartsAgain() {
		upstream.stubFor(page(1).willReturn(okJson(envelope(1, 2, true, 0))));
		upstream.stubFor(page(2).willReturn(aResponse().withStatus(502)));
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("failed");
		upstream.stubFor(page(2).willReturn(okJson(envelope(2, 2, false, 0))));

		assertThat(run(SyncMode.INCREMENTAL).resumedFrom()).isNull();
		this.jdbc
			.sql("UPDATE sync_run SET started_at = now() - interval '25 hours', "
					+ "finished_at = now() - interval '25 hours' WHERE connection = ?")
			.param(this.name)
			.update();
		this.jdbc.sql("UPDATE sync_run SET outcome = 'failed' WHERE connection = ? AND mode = 'incremental'")
			.param(this.name)
			.update();

		SyncRun full = run(SyncMode.FULL);
		assertThat(full.resumedFrom()).isNull();
		assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/api/v1/interactions")))
			.get(0)
			.queryParameter("page")
			.firstValue()).isEqualTo("1");
	}

	@Test
	void anIdleIncrementalRunAsksAtMostTwoPagesEvenWithAnOpenItemDeepDown() {
		stubPages(10, "a");
		upstream.stubFor(page(8).willReturn(okJson("{\"items\":["
				+ item("p8-0", "2026-11-20T05:00:00Z", "thinking").replace("\"complete\":true", "\"complete\":false")
				+ "," + item("p8-1", "2026-11-20T04:30:00Z", "a") + "],\"meta\":{\"has_next\":true}}")));
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");
		assertThat(status("p8-0")).isEqualTo("in_progress");

		assertThat(run(SyncMode.INCREMENTAL, "recheck-open-for", "P30D").outcome()).isEqualTo("succeeded");

		assertThat(requests()).as("not eight pages down to the open item: it waits for the full pass")
			.isLessThanOrEqualTo(2);
	}

	@Test
	void anOpenItemOlderThanTheRecheckWindowIsLeftToTheFullRun() {
		stubThreePages(false);
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");

		stubThreePages(true);
		assertThat(run(SyncMode.INCREMENTAL, "recheck-open-for", "PT1H").outcome()).isEqualTo("succeeded");

		assertThat(requests()).isEqualTo(2);
		assertThat(status("open")).isEqualTo("in_progress");
	}

	@Test
	void committedItemsAreCountedByConnectionAndAction() {
		String good = item("good-1", "2026-11-20T12:00:00Z", "hello");
		String badTime = item("bad-time-1", "the day before yesterday", "bad time");
		upstream.stubFor(
				page(1).willReturn(okJson("{\"items\":[" + good + "," + badTime + "],\"meta\":{\"has_next\":false}}")));
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");

		assertThat(records("inserted")).isEqualTo(1);
		assertThat(records("rejected")).isEqualTo(1);
		assertThat(records("unchanged")).isZero();

		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");
		assertThat(records("inserted")).isEqualTo(1);
		assertThat(records("unchanged")).isEqualTo(1);
		assertThat(records("rejected")).isEqualTo(2);
		assertThat(this.meters.get("tributary.sync.runs")
			.tags("connection", this.name, "mode", "full", "outcome", "succeeded")
			.timer()
			.count()).isEqualTo(2);
	}

	@Test
	void upstreamCallsAreTimedPerConnectionWithTheTemplatedPathAndNoQuery() {
		upstream.stubFor(page(1).willReturn(okJson(envelope(1, 2, false))));
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");

		var timers = this.meters.find("http.client.requests").tag("connection", this.name).timers();
		assertThat(timers).isNotEmpty();
		assertThat(timers)
			.allSatisfy((timer) -> assertThat(timer.getId().getTag("uri")).isEqualTo("/api/v1/interactions"));
	}

	private double records(String action) {
		Counter counter = this.meters.find("tributary.sync.records")
			.tags("connection", this.name, "action", action)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void anIdleIncrementalRunAsksTwoPagesAndOneWithAWideOverlapReadsItsWindowWhole() {
		stubPages(4, "a");
		assertThat(run(SyncMode.FULL).outcome()).isEqualTo("succeeded");
		assertThat(requests()).isEqualTo(4);

		// nothing new: the first page reaches the watermark, the second lies below it
		assertThat(run(SyncMode.INCREMENTAL).outcome()).isEqualTo("succeeded");
		assertThat(requests()).isEqualTo(2);

		// an item the upstream shows late, three pages deep but inside a window of a day:
		// the window is read whole, however many pages of it are stored unchanged
		upstream.stubFor(page(3).willReturn(okJson("{\"items\":[" + item("p3-0", "2026-11-20T10:00:00Z", "a") + ","
				+ item("late", "2026-11-20T09:45:00Z", "a") + "],\"meta\":{\"has_next\":true}}")));
		assertThat(run(SyncMode.INCREMENTAL, "overlap", "PT24H").outcome()).isEqualTo("succeeded");
		assertThat(requests()).isEqualTo(4);
		assertThat(stored()).contains("late");
	}

	/** {@code count} pages of two items each, newest first, half an hour apart. */
	private static void stubPages(int count, String text) {
		for (int page = 1; page <= count; page++) {
			Instant first = Instant.parse("2026-11-20T12:00:00Z").minusSeconds(3600L * (page - 1));
			upstream
				.stubFor(page(page).willReturn(okJson("{\"items\":[" + item("p" + page + "-0", first.toString(), text)
						+ "," + item("p" + page + "-1", first.minusSeconds(1800).toString(), text)
						+ "],\"meta\":{\"has_next\":" + (page < count) + "}}")));
		}
	}

	/**
	 * Newest first: two pages of done items, then a page with one that completes late.
	 */
	private static void stubThreePages(boolean openIsComplete) {
		upstream.stubFor(page(1).willReturn(okJson("{\"items\":[" + item("d1", "2026-11-20T12:00:00Z", "a") + ","
				+ item("d2", "2026-11-20T11:50:00Z", "b") + "],\"meta\":{\"has_next\":true}}")));
		upstream.stubFor(page(2).willReturn(okJson("{\"items\":[" + item("d3", "2026-11-20T11:40:00Z", "c") + ","
				+ item("d4", "2026-11-20T11:30:00Z", "d") + "],\"meta\":{\"has_next\":true}}")));
		String open = item("open", "2026-11-20T10:00:00Z", "thinking").replace("\"complete\":true",
				"\"complete\":" + openIsComplete);
		upstream.stubFor(page(3).willReturn(okJson("{\"items\":[" + open + "," + item("d5", "2026-11-20T09:00:00Z", "e")
				+ "],\"meta\":{\"has_next\":false}}")));
	}

	@Test
	void shutdownLetsThePageInFlightCommitAndRecordsTheRunAsInterrupted() throws Exception {
		upstream.stubFor(page(1).willReturn(okJson(envelope(1, 2, true))));
		upstream.stubFor(page(2).willReturn(okJson(envelope(2, 2, true)).withFixedDelay(1500)));
		upstream.stubFor(page(3).willReturn(okJson(envelope(3, 2, false))));
		java.util.concurrent.CompletableFuture<SyncRun> running = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> run(SyncMode.FULL, "read-timeout", "PT5S"));
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("SELECT count(*) FROM interaction WHERE connection = ?")
				.param(this.name)
				.query(Long.class)
				.single() == 2);
		// page 1 is committed and the run is waiting on page 2 (1.5 s): the shutdown
		// comes while that page is in flight, not between the commit and the check that
		// follows it
		Thread.sleep(300);
		try {
			this.sync.stop();
			SyncRun run = running.get(10, java.util.concurrent.TimeUnit.SECONDS);

			assertThat(run.outcome()).isEqualTo("interrupted");
			assertThat(run.pages()).as("the page in flight was committed, no later one").isEqualTo(2);
			assertThat(stored()).hasSize(4);
		}
		finally {
			this.sync.start();
		}
		upstream.stubFor(page(2).willReturn(okJson(envelope(2, 2, true))));
		SyncRun resumed = run(SyncMode.FULL);
		assertThat(resumed.resumedFrom()).as("an interrupted full run is resumed").isNotNull();
		assertThat(stored()).hasSize(6);
	}

	@Test
	void aRunThatLostItsConnectionToAnotherProcessStopsWithoutWritingAnotherPage() throws Exception {
		upstream.stubFor(page(1).willReturn(okJson(envelope(1, 2, true))));
		upstream.stubFor(page(2).willReturn(okJson(envelope(2, 2, false)).withFixedDelay(1500)));
		java.util.concurrent.CompletableFuture<SyncRun> running = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> run(SyncMode.FULL, "read-timeout", "PT5S"));
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> stored().size() == 2);
		// its lease lapsed; another process took the connection over and abandoned this
		// run
		this.jdbc
			.sql("UPDATE sync_run SET outcome = 'failed', error = 'abandoned' WHERE connection = ? "
					+ "AND outcome = 'running'")
			.param(this.name)
			.update();

		SyncRun run = running.get(10, java.util.concurrent.TimeUnit.SECONDS);

		assertThat(run.pages()).isEqualTo(1);
		assertThat(stored()).as("the page read after losing the connection was rolled back").hasSize(2);
	}

	private String status(String sourceId) {
		return this.jdbc.sql("SELECT status FROM interaction WHERE connection = ? AND source_id = ?")
			.param(this.name)
			.param(sourceId)
			.query(String.class)
			.single();
	}

	private String attribute(String sourceId, String name) {
		return this.jdbc.sql("SELECT attributes ->> ? FROM interaction WHERE connection = ? AND source_id = ?")
			.param(name)
			.param(this.name)
			.param(sourceId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private static Instant newest(int page, int ageDays) {
		return Instant.parse("2026-11-20T12:00:00Z").minusSeconds(ageDays * 86_400L + (page - 1) * 600L);
	}

	@Test
	void aRunningFullRunShowsItsProgressAgainstTheUpstreamTotal() throws Exception {
		upstream.stubFor(page(1).willReturn(okJson(envelope(1, 2, true).replace("\"total\":99", "\"total\":4"))));
		upstream.stubFor(page(2)
			.willReturn(okJson(envelope(2, 2, false).replace("\"total\":99", "\"total\":4")).withFixedDelay(1500)));
		java.util.concurrent.CompletableFuture<SyncRun> finished = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> run(SyncMode.FULL, "read-timeout", "PT5S"));

		SyncRun running = org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(5))
			.until(() -> this.runs.latest(this.name).orElse(null),
					(run) -> run != null && run.pages() == 1 && "running".equals(run.outcome()));

		assertThat(running.progress()).satisfies((progress) -> {
			assertThat(progress.pages()).isEqualTo(1);
			assertThat(progress.items()).isEqualTo(2);
			assertThat(progress.expectedItems()).isEqualTo(4);
			assertThat(progress.percent()).isEqualTo(50.0);
			assertThat(progress.etaSeconds()).isNotNull().isNotNegative();
		});
		var answer = this.mvc
			.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
				.get("/api/v1/sync-runs/" + running.id()))
			.andReturn()
			.getResponse();
		assertThat(this.json.readTree(answer.getContentAsString()).at("/progress/expectedItems").asLong()).isEqualTo(4);
		assertThat(this.meters.get("tributary.sync.progress").tag("connection", this.name).gauge().value())
			.isEqualTo(2.0);
		assertThat(this.meters.get("tributary.sync.progress.expected").tag("connection", this.name).gauge().value())
			.isEqualTo(4.0);

		SyncRun run = finished.get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(run.progress()).isNull();
		assertThat(this.meters.get("tributary.sync.progress").tag("connection", this.name).gauge().value()).isNaN();
	}

	@Test
	void aConnectionsParticipantMappingSetsTheExternalParticipantId() {
		upstream.stubFor(page(1).willReturn(okJson(envelope(1, 2, false))));

		run(SyncMode.FULL, "participant-external-id", "participant.user_id");

		assertThat(this.jdbc.sql("SELECT DISTINCT participant_external_id FROM interaction WHERE connection = ?")
			.param(this.name)
			.query(String.class)
			.list()).containsExactly("u");
		assertThat(org.assertj.core.api.Assertions
			.catchThrowable(() -> run(SyncMode.FULL, "participant-external-id", "participant..user_id"))).rootCause()
			.hasMessageContaining("participant-external-id must be a dotted field path");
	}

	private SyncRun run(SyncMode mode, String... settings) {
		upstream.resetRequests();
		return this.syncs
			.at(upstream, "flockx", KEY, "page-size", "2", "overlap", "PT0S", "read-timeout", "PT0.5S",
					"retry.max-attempts", "3", "retry.initial-backoff", "PT0.01S", "retry.max-backoff", "PT2S")
			.run(this.name, mode, settings);
	}

	private static com.github.tomakehurst.wiremock.client.MappingBuilder page(int page) {
		return get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo(String.valueOf(page)));
	}

	private int requests() {
		return SyncRuns.requests(upstream, getRequestedFor(urlPathEqualTo("/api/v1/interactions")));
	}

	/** The Flockx list's watermark. */
	private Instant watermark() {
		StreamStore.StreamState list = this.streams.load(this.name).get("list");
		return (list != null) ? list.watermark() : null;
	}

	private Set<String> stored() {
		return new HashSet<>(this.jdbc.sql("SELECT source_id FROM interaction WHERE connection = ?")
			.param(this.name)
			.query(String.class)
			.list());
	}

	/**
	 * One Flockx item; a null id leaves the id out. The key is echoed in it, as an
	 * upstream might.
	 */
	private static String item(String id, String createdAt, String text) {
		return "{" + ((id != null) ? "\"id\":\"" + id + "\"," : "") + "\"created_at\":\"" + createdAt
				+ "\",\"channel_id\":\"c\",\"content\":[{\"type\":\"text\",\"text\":\"" + text
				+ "\"}],\"content_role\":\"user_message\",\"complete\":true,\"metadata\":{\"note\":\"" + KEY + "\"}}";
	}

	private static String envelope(int page, int size, boolean hasNext) {
		return envelope(page, size, hasNext, 0);
	}

	/**
	 * A Flockx page; {@code ageDays} pushes the page into the past. Newer pages have
	 * smaller numbers.
	 */
	private static String envelope(int page, int size, boolean hasNext, int ageDays) {
		String items = IntStream.range(0, size).mapToObj((i) -> {
			Instant created = Instant.parse("2026-11-20T12:00:00Z")
				.minusSeconds(ageDays * 86_400L + (page - 1) * 600L + i * 60L);
			return "{\"id\":\"" + id(page, i, ageDays) + "\",\"created_at\":\"" + created + "\",\"channel_id\":\"c\","
					+ "\"participant\":{\"type\":\"user\",\"user_id\":\"u\"},\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],"
					+ "\"content_role\":\"user_message\",\"complete\":true,\"metadata\":{},\"nested_interactions\":[],"
					+ "\"interaction_id\":\"t\",\"span_id\":\"s\",\"parent_span_id\":null,\"organization_id\":\"o\","
					+ "\"organization_application\":\"flockx\",\"reactions\":[],\"agent_read_receipts\":[]}";
		}).collect(Collectors.joining(","));
		return "{\"items\":[" + items + "],\"meta\":{\"total\":99,\"has_next\":" + hasNext + ",\"has_previous\":"
				+ (page > 1) + ",\"page\":" + page + "}}";
	}

	private static String id(int page, int i, int ageDays) {
		return "ev-" + ageDays + "-" + page + "-" + i;
	}

	private static List<String> ids(int page, int size, int ageDays) {
		return IntStream.range(0, size).mapToObj((i) -> id(page, i, ageDays)).toList();
	}

}
