package io.tributary.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.tributary.IntegrationTest;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paging while the upstream changes under a run, and pages the stop rule must read right:
 * deletions above the read position, a rejected item inside a page, a listing of ties.
 */
@IntegrationTest
class PagingUnderChangeTests {

	private static final String KEY = "paging-test-secret-key";

	private static final String DELETED = "deleted";

	@RegisterExtension
	static WireMockExtension upstream = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Autowired
	private SyncRuns syncs;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private RejectStore rejects;

	private static int counter;

	private String name;

	@BeforeEach
	void fresh() {
		this.name = "paging-" + (++counter);
		upstream.resetAll();
	}

	@Test
	void flockxDeletionsAboveTheReadPositionBetweenPagesLoseNothing() {
		List<String> all = List.of("f0", "f1", "f2", "f3", "f4", "f5");
		// page 1 is read from the full listing; then f0 is deleted, and every later page
		// is cut from the shorter listing (its total says so)
		upstream.stubFor(flockxPage(1).inScenario("deletion")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson(flockxEnvelope(all, 1, 2)))
			.willSetStateTo(DELETED));
		List<String> after = all.subList(1, all.size());
		for (int page = 1; page <= 3; page++) {
			upstream.stubFor(flockxPage(page).inScenario("deletion")
				.whenScenarioStateIs(DELETED)
				.willReturn(okJson(flockxEnvelope(after, page, 2))));
		}

		SyncRun run = flockx(SyncMode.FULL);

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(stored()).as("f2 moved onto page 1 after it was read").containsExactlyInAnyOrderElementsOf(all);
	}

	@Test
	void greenflashDeletionsAboveTheReadPositionBetweenPagesLoseNothing() {
		List<String> all = List.of("g0", "g1", "g2", "g3", "g4", "g5");
		upstream.stubFor(greenflashList().withQueryParam("page", equalTo("1"))
			.inScenario("deletion")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson(greenflashItems(all.subList(0, 2))))
			.willSetStateTo(DELETED));
		// then g0 is deleted: whether read by page or by offset, what follows is cut from
		// the shorter listing
		List<String> after = all.subList(1, all.size());
		for (int page = 1; page <= 4; page++) {
			upstream.stubFor(greenflashList().withQueryParam("page", equalTo(String.valueOf(page)))
				.inScenario("deletion")
				.whenScenarioStateIs(DELETED)
				.willReturn(okJson(greenflashItems(slice(after, (page - 1) * 2, 2)))));
		}
		for (int offset = 0; offset <= 6; offset++) {
			upstream.stubFor(greenflashList().withQueryParam("page", absent())
				.withQueryParam("offset", equalTo(String.valueOf(offset)))
				.inScenario("deletion")
				.whenScenarioStateIs(DELETED)
				.willReturn(okJson(greenflashItems(slice(after, offset, 2)))));
		}

		SyncRun run = this.syncs
			.at(upstream, "greenflash", KEY, "page-size", "2", "greenflash.fetch-messages", "false",
					"retry.max-attempts", "1")
			.run(this.name, SyncMode.FULL);

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(stored()).as("g2 moved onto page 1 after it was read").containsExactlyInAnyOrderElementsOf(all);
		assertThat(this.jdbc.sql("SELECT count(*) FROM interaction WHERE connection = ?")
			.param(this.name)
			.query(Long.class)
			.single()).as("items read twice are one row").isEqualTo(6);
	}

	@Test
	void aRejectedItemInsideAPageKeepsTheIncrementalStopInStep() {
		// three items per page, newest first; the first page holds a quarantined item
		// between its two others, the second ends with one
		for (int page = 1; page <= 4; page++) {
			Instant first = Instant.parse("2026-11-20T12:00:00Z").minusSeconds(3600L * (page - 1));
			List<String> items = new ArrayList<>(List.of(flockxItem("p" + page + "-0", first.toString()),
					flockxItem("p" + page + "-1", first.minusSeconds(1800).toString())));
			if (page == 1) {
				items.add(1, flockxItem("bad-1", "the day before yesterday"));
			}
			if (page == 2) {
				items.add(flockxItem("bad-2", "not a time"));
			}
			if (page > 2) {
				items.add(flockxItem("p" + page + "-2", first.minusSeconds(2700).toString()));
			}
			upstream.stubFor(flockxPage(page).willReturn(okJson(
					"{\"items\":[" + String.join(",", items) + "],\"meta\":{\"has_next\":" + (page < 4) + "}}")));
		}
		assertThat(flockx(SyncMode.FULL, "page-size", "3").outcome()).isEqualTo("succeeded");
		// a stream without a watermark (as in an initial backfill a pass is still
		// reading): only pages held unchanged end its head
		this.jdbc.sql("DELETE FROM sync_stream WHERE connection = ?").param(this.name).update();
		upstream.resetRequests();

		SyncRun incremental = flockx(SyncMode.INCREMENTAL, "page-size", "3");

		assertThat(incremental.outcome()).as(String.valueOf(incremental.error())).isEqualTo("succeeded");
		assertThat(SyncRuns.requests(upstream, getRequestedFor(urlPathEqualTo("/api/v1/interactions"))))
			.as("two pages held unchanged end it, their rejected items aside")
			.isEqualTo(2);
	}

	@Test
	void anOldestFirstListingThatStartsWithOneBulkImportedSecondIsReadPastIt() {
		// the upstream lists oldest first whatever it is asked: a bulk import of one
		// second, then the newer items
		String bulk = "2026-11-01T00:00:00Z";
		upstream.stubFor(flockxPage(1).willReturn(okJson("{\"items\":[" + flockxItem("bulk-0", bulk) + ","
				+ flockxItem("bulk-1", bulk) + "],\"meta\":{\"has_next\":true}}")));
		upstream.stubFor(flockxPage(2).willReturn(okJson("{\"items\":[" + flockxItem("bulk-2", bulk) + ","
				+ flockxItem("live-1", "2026-11-20T10:00:00Z") + "],\"meta\":{\"has_next\":false}}")));
		assertThat(flockx(SyncMode.FULL).outcome()).isEqualTo("succeeded");

		upstream.stubFor(flockxPage(2).willReturn(okJson("{\"items\":[" + flockxItem("bulk-2", bulk) + ","
				+ flockxItem("live-1", "2026-11-20T10:00:00Z") + "],\"meta\":{\"has_next\":true}}")));
		upstream.stubFor(flockxPage(3).willReturn(okJson(
				"{\"items\":[" + flockxItem("live-2", "2026-11-20T11:00:00Z") + "],\"meta\":{\"has_next\":false}}")));

		assertThat(flockx(SyncMode.INCREMENTAL).outcome()).isEqualTo("succeeded");
		assertThat(stored()).as("a page of ties proves no order: the run reads on").contains("live-2");
	}

	@Test
	void aDateSpelledAsDigitsIsQuarantinedNamingTheFieldNotStoredAs1970() {
		upstream.stubFor(flockxPage(1).willReturn(okJson("{\"items\":[" + flockxItem("good", "2026-11-20T10:00:00Z")
				+ "," + flockxItem("digits", "20231107") + "],\"meta\":{\"has_next\":false}}")));

		SyncRun run = flockx(SyncMode.FULL);

		assertThat(run.outcome()).isEqualTo("succeeded");
		assertThat(stored()).containsExactly("good");
		assertThat(this.rejects.list(this.name, null, 10)).singleElement().satisfies((reject) -> {
			assertThat(reject.sourceId()).isEqualTo("digits");
			assertThat(reject.reason()).contains("created_at").contains("20231107");
		});
	}

	@Test
	void aZoneLessTimeIsReadInTheConnectionsZone() {
		upstream.stubFor(flockxPage(1).willReturn(okJson(
				"{\"items\":[" + flockxItem("local", "2026-11-20T10:00:00") + "],\"meta\":{\"has_next\":false}}")));

		assertThat(flockx(SyncMode.FULL, "time-zone", "Europe/Berlin").outcome()).isEqualTo("succeeded");

		assertThat(this.jdbc.sql("SELECT created_at FROM interaction WHERE connection = ?")
			.param(this.name)
			.query(Instant.class)
			.single()).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
	}

	private SyncRun flockx(SyncMode mode, String... settings) {
		return this.syncs.at(upstream, "flockx", KEY, "page-size", "2", "overlap", "PT0S", "retry.max-attempts", "1")
			.run(this.name, mode, settings);
	}

	private static MappingBuilder flockxPage(int page) {
		return get(urlPathEqualTo("/api/v1/interactions")).withQueryParam("page", equalTo(String.valueOf(page)));
	}

	private static MappingBuilder greenflashList() {
		return get(urlPathEqualTo("/api/v1/interactions"));
	}

	/** A page of {@code size} cut from {@code listing}, newest first, with its total. */
	private static String flockxEnvelope(List<String> listing, int page, int size) {
		List<String> items = slice(listing, (page - 1) * size, size);
		String json = IntStream.range(0, items.size())
			.mapToObj((i) -> flockxItem(items.get(i), created(listing.indexOf(items.get(i)))))
			.collect(Collectors.joining(","));
		boolean hasNext = page * size < listing.size();
		return "{\"items\":[" + json + "],\"meta\":{\"total\":" + listing.size() + ",\"has_next\":" + hasNext
				+ ",\"has_previous\":" + (page > 1) + ",\"page\":" + page + "}}";
	}

	private static String created(int position) {
		return Instant.parse("2026-11-20T12:00:00Z").minusSeconds(60L * position).toString();
	}

	private static String flockxItem(String id, String createdAt) {
		return "{\"id\":\"" + id + "\",\"created_at\":\"" + createdAt + "\",\"channel_id\":\"c\","
				+ "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"content_role\":\"user_message\",\"complete\":true}";
	}

	private static String greenflashItems(List<String> ids) {
		return "[" + ids.stream().map((id) -> {
			String at = Instant.parse("2026-11-20T12:00:00Z")
				.minusSeconds(60L * Integer.parseInt(id.substring(1)))
				.toString();
			return "{\"id\":\"" + id + "\",\"createdAt\":\"" + at + "\",\"updatedAt\":\"" + at + "\"}";
		}).collect(Collectors.joining(",")) + "]";
	}

	private static List<String> slice(List<String> listing, int from, int size) {
		return listing.subList(Math.min(from, listing.size()), Math.min(from + size, listing.size()));
	}

	private Set<String> stored() {
		return new HashSet<>(this.jdbc.sql("SELECT source_id FROM interaction WHERE connection = ?")
			.param(this.name)
			.query(String.class)
			.list());
	}

}
