package io.tributary.interaction;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A text PostgreSQL's text search cannot index whole (a tsvector holds at most 1 MB) is
 * stored whole, searched by its start, and flagged; the bound holds for the densest text
 * there is.
 */
@InteractionDatabaseTest
class SearchTextTests {

	private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@BeforeEach
	void clean() {
		Interactions.deleteAll(this.jdbc);
	}

	@Test
	void aTextTooLargeForTextSearchIsStoredWholeSearchedByItsStartAndFlagged() {
		// 200 000 distinct words: some 1.4 MB of lexemes, more than one tsvector holds
		String answer = IntStream.range(0, 200_000).mapToObj((i) -> "w" + i).collect(Collectors.joining(" "));

		this.writer.write(List.of(Interactions.interaction("long", T0).text("short question", answer).build(),
				Interactions.interaction("plain", T0).build()));

		assertThat(this.jdbc.sql("SELECT length(output_text) FROM interaction WHERE source_id = 'long'")
			.query(Integer.class)
			.single()).isEqualTo(answer.length());
		assertThat(truncated("long")).isTrue();
		assertThat(truncated("plain")).isFalse();
		assertThat(found("w10")).as("a word near the start").containsExactly("long");
		assertThat(found("question")).containsExactlyInAnyOrder("long", "plain");
		assertThat(found("w199999")).as("a word past the first 100 000 characters").isEmpty();
	}

	@Test
	void theBoundHoldsForTheDensestText() {
		// distinct one-letter words of 3- and 4-byte letters, then two-letter ones: the
		// most tsvector bytes a character can cost (a letter, its separator, a position
		// and its count: 8 bytes for 2 characters), filling each text to its bound
		Letters letters = new Letters();
		this.writer.write(List.of(Interactions.interaction("dense", T0)
			.text(letters.text(100_000), letters.text(100_000))
			.feedback(letters.text(20_000))
			.build()));

		assertThat(truncated("dense")).isFalse();
		assertThat(this.jdbc.sql("SELECT length(search_vector) FROM interaction WHERE source_id = 'dense'")
			.query(Integer.class)
			.single()).as("distinct lexemes").isGreaterThan(100_000);
	}

	/** Distinct words, the shortest first. */
	private static final class Letters {

		/** CJK Extension B to F, CJK Unified Ideographs, Hangul syllables. */
		private static final int[][] RANGES = { { 0x20000, 0x2A6DF }, { 0x2A700, 0x2EBE0 }, { 0x4E00, 0x9FFF },
				{ 0xAC00, 0xD7A3 } };

		private int range;

		private int next = RANGES[0][0];

		private int pair;

		/**
		 * @param length code points: words and a space after each
		 */
		String text(int length) {
			StringBuilder text = new StringBuilder();
			int count = 0;
			while (true) {
				if (this.range < RANGES.length) {
					if (count + 2 > length) {
						break;
					}
					text.appendCodePoint(this.next).append(' ');
					count += 2;
					if (++this.next > RANGES[this.range][1] && ++this.range < RANGES.length) {
						this.next = RANGES[this.range][0];
					}
				}
				else {
					if (count + 3 > length) {
						break;
					}
					text.appendCodePoint(0x20000 + this.pair / 40_000)
						.appendCodePoint(0x20000 + this.pair % 40_000)
						.append(' ');
					this.pair++;
					count += 3;
				}
			}
			return text.toString();
		}

	}

	private boolean truncated(String sourceId) {
		return this.jdbc.sql("SELECT search_truncated FROM interaction WHERE source_id = ?")
			.param(sourceId)
			.query(Boolean.class)
			.single();
	}

	private List<String> found(String query) {
		return this.jdbc
			.sql("SELECT source_id FROM interaction WHERE search_vector @@ websearch_to_tsquery('simple', ?)")
			.param(query)
			.query(String.class)
			.list();
	}

}
