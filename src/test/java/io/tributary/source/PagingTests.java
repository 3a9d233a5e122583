package io.tributary.source;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PagingTests {

	private static final Instant STOP = Instant.parse("2026-11-10T00:00:00Z");

	@Test
	void stopsAfterTheFirstPageWhollyOlderThanTheWatermark() {
		Paging.StopRule rule = Paging.stopRule(STOP);

		assertThat(rule.isLast(days(12, 11), days(12, 11))).isFalse();
		assertThat(rule.isLast(days(10, 9), days(10, 9))).as("the 10th is not before the stop").isFalse();
		assertThat(rule.isLast(days(9, 8), days(9, 8))).isTrue();
	}

	@Test
	void aLateChangeKeepsAnOldPageReading() {
		Paging.StopRule rule = Paging.stopRule(STOP);

		assertThat(rule.isLast(days(9, 8), days(9, 15))).isFalse();
	}

	@Test
	void newestFirstByLastChangeAlsoQualifies() {
		Paging.StopRule rule = Paging.stopRule(STOP);

		assertThat(rule.isLast(days(3, 12), days(14, 13))).isFalse();
		assertThat(rule.isLast(days(1, 7), days(9, 8))).isTrue();
	}

	@Test
	void aStreamInNeitherOrderIsReadToItsEnd() {
		Paging.StopRule rule = Paging.stopRule(STOP);

		assertThat(rule.isLast(days(1, 2), days(1, 2))).isFalse();
		assertThat(rule.isLast(days(4, 3), days(4, 3))).as("out of order once: no early stop for the run").isFalse();
	}

	@Test
	void aPageThatStartsNewerThanThePreviousEndedBreaksTheOrder() {
		Paging.StopRule rule = Paging.stopRule(STOP);

		assertThat(rule.isLast(days(12, 5), days(12, 5))).isFalse();
		assertThat(rule.isLast(days(8, 7), days(8, 7))).isFalse();
	}

	@Test
	void fullRunsNeverStopEarly() {
		assertThat(Paging.stopRule(null).isLast(days(2, 1), days(2, 1))).isFalse();
	}

	private static List<Instant> days(int... days) {
		return Arrays.stream(days)
			.mapToObj((day) -> Instant.parse("2026-11-01T00:00:00Z").plusSeconds(86_400L * (day - 1)))
			.toList();
	}

}
