package io.tributary.interaction;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.tributary.interaction.Interactions.interaction;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list page written straight from its rows ({@link InteractionQuery#pageJson}) is,
 * byte for byte, what Jackson writes of the {@link InteractionPage} records
 * ({@link InteractionQuery#page}), with the same ETag: over rows with every field set,
 * every nullable field null, unicode and escapes, deleted rows, odd decimals and
 * timestamps, in every sort, page after page, with totals.
 */
@InteractionDatabaseTest
class PageJsonTests {

	private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

	@Autowired
	private InteractionQuery query;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private JsonMapper json;

	@BeforeEach
	void variedRows() {
		Interactions.deleteAll(this.jdbc);
		Random random = new Random(21);
		String[] texts = { "plain", "ünïcödé 日本語 🦜 \"quoted\" back\\slash", "line\nbreak\ttab\u0001\u001f",
				"\u2028\u2029 </script> <!-- & '", "", "a".repeat(5000) };
		List<NormalizedInteraction> rows = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			var row = interaction("row-" + i, T0.plusSeconds(i / 2)) // pairs share
																		// created_at: the
																		// id breaks ties
				.text(texts[i % texts.length], texts[(i + 1) % texts.length])
				.threadId("thread-" + (i % 7))
				.participant("p-" + i, "ext-" + (i % 5), "user")
				.organization("org-" + i, "org-ext")
				.productId("product")
				.versionId("v" + i)
				.model((i % 3 == 0) ? "gpt-4o" : "claude ✓")
				.status(InteractionStatus.values()[i % 3])
				.tokens((long) i * 1_000_000_007L, (long) random.nextInt(100_000))
				.rating(new BigDecimal(new String[] { "4", "4.50", "0.1", "1E+3", "3.14159265358979323846" }[i % 5]),
						BigDecimal.ZERO, new BigDecimal("1E+3"))
				.feedback(texts[(i + 2) % texts.length])
				.attributes(JsonNodeFactory.instance.objectNode()
					.put("k", texts[i % texts.length])
					.put("n", i * 0.1)
					.set("nested", JsonNodeFactory.instance.arrayNode().add(1).add("two").addNull()));
			rows.add(row.build());
		}
		this.writer.write(rows);
		// every nullable field null on some rows; odd fractions of seconds; deleted rows
		this.jdbc.sql("UPDATE interaction SET thread_id = NULL, participant_id = NULL, participant_external_id = NULL, "
				+ "participant_type = NULL, organization_id = NULL, organization_external_id = NULL, product_id = NULL, "
				+ "version_id = NULL, model = NULL, input_text = NULL, output_text = NULL, input_tokens = NULL, "
				+ "output_tokens = NULL, rating = NULL, rating_min = NULL, rating_max = NULL, rating_normalized = NULL, "
				+ "rating_source = NULL, feedback = NULL WHERE source_id IN ('row-1', 'row-8', 'row-33')")
			.update();
		this.jdbc.sql("UPDATE interaction SET rating_normalized = 1.0 / 3 WHERE source_id = 'row-2'").update();
		this.jdbc.sql("UPDATE interaction SET rating_normalized = 0 WHERE source_id = 'row-3'").update();
		this.jdbc.sql("UPDATE interaction SET rating_normalized = 1e-7 WHERE source_id = 'row-4'").update();
		this.jdbc.sql("UPDATE interaction SET attributes = '{}'::jsonb WHERE source_id = 'row-6'").update();
		this.jdbc
			.sql("UPDATE interaction SET created_at = created_at + interval '0.123456 s', "
					+ "updated_at = updated_at + interval '0.1 s', last_synced_at = '2026-11-02T03:04:05.000001Z' "
					+ "WHERE source_id IN ('row-10', 'row-11')")
			.update();
		this.jdbc.sql(
				"UPDATE interaction SET updated_at = '0099-01-02T00:00:00Z', first_seen_at = '9999-12-31T23:59:59.999999Z'"
						+ " WHERE source_id = 'row-12'")
			.update();
		this.jdbc.sql("UPDATE interaction SET updated_at = '10000-01-01T00:00:00Z' WHERE source_id = 'row-13'")
			.update();
		this.jdbc.sql("UPDATE interaction SET updated_at = '0044-03-15T12:00:00Z BC' WHERE source_id = 'row-14'")
			.update();
		this.jdbc.sql("UPDATE interaction SET deleted_at = now() WHERE source_id IN ('row-5', 'row-20', 'row-21')")
			.update();
		this.jdbc
			.sql("UPDATE interaction SET deleted_at = '2026-11-03T00:00:00.5Z', input_text = repeat('wörd ', 20001) "
					+ "WHERE source_id = 'row-40'")
			.update();
	}

	@Test
	void everyPageInEverySortIsWhatJacksonWritesOfTheRecords() {
		int pages = 0;
		for (InteractionSort sort : InteractionSort.values()) {
			for (Boolean includeDeleted : new Boolean[] { null, true }) {
				for (int limit : new int[] { 1, 7, 200 }) {
					String cursor = null;
					do {
						InteractionFilter filter = filter(sort, limit, cursor, null, includeDeleted, null);
						InteractionPage page = this.query.page(filter);
						InteractionQuery.Json written = this.query.pageJson(filter);
						assertSame(page, written, sort + ", limit " + limit + ", cursor " + cursor);
						cursor = page.page().nextCursor();
						pages++;
					}
					while (cursor != null);
				}
			}
		}
		assertThat(pages).isGreaterThan(4 * 2 * 60);
	}

	@Test
	void totalsAndFiltersAreWrittenAlike() {
		for (TotalMode total : TotalMode.values()) {
			InteractionFilter filter = filter(InteractionSort.CREATED_AT_DESC, 10, null, total, true, null);
			assertSame(this.query.page(filter), this.query.pageJson(filter), "includeTotal " + total);
		}
		InteractionFilter none = filter(InteractionSort.CREATED_AT_DESC, 10, null, TotalMode.TRUE, null, "nobody");
		InteractionPage empty = this.query.page(none);
		assertThat(empty.items()).isEmpty();
		assertSame(empty, this.query.pageJson(none), "no row");
	}

	@Test
	void instantsAreWrittenAsInstantToStringWrites() {
		Random random = new Random(4);
		for (int i = 0; i < 20_000; i++) {
			long second = random.nextLong(-62_167_219_200L * 2, 253_402_300_800L * 2); // years
																						// -1970..19999
			int nano = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1000;
				default -> random.nextInt(1_000_000_000);
			};
			Instant instant = Instant.ofEpochSecond(second, nano);
			assertThat(JsonRows.iso(instant.atOffset(ZoneOffset.UTC))).isEqualTo(instant.toString());
			assertThat(JsonRows.iso(instant.atOffset(ZoneOffset.ofHoursMinutes(-9, -30))))
				.isEqualTo(instant.toString());
		}
		assertThat(JsonRows.iso((OffsetDateTime) null)).isNull();
	}

	private void assertSame(InteractionPage page, InteractionQuery.Json written, String what) {
		assertThat(new String(written.body(), StandardCharsets.UTF_8)).as(what)
			.isEqualTo(this.json.writeValueAsString(page));
		assertThat(written.etag()).as(what).isEqualTo(ETags.of(page));
	}

	private static InteractionFilter filter(InteractionSort sort, int limit, String cursor, TotalMode total,
			Boolean includeDeleted, String participant) {
		return new InteractionFilter(null, null, null, participant, null, null, null, null, null, null, null, null,
				null, null, null, null, sort, limit, cursor, total, includeDeleted);
	}

}
