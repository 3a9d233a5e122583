package io.tributary.source;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
	void aListingOfTiesProvesNoOrderAndNeverStopsEarly() {
		Paging.StopRule rule = Paging.stopRule(STOP);

		// oldest first, the first pages one bulk-imported second older than the stop
		assertThat(rule.isLast(days(2, 2, 2), days(2, 2, 2))).as("ties within a page").isFalse();
		assertThat(rule.isLast(days(2, 2), days(2, 2))).as("ties across pages").isFalse();
		assertThat(rule.isLast(days(3, 14), days(3, 14))).as("then it rises: never newest first").isFalse();
		assertThat(rule.isLast(days(2, 1), days(2, 1))).isFalse();
	}

	@Test
	void tiesThenAFallProveNewestFirst() {
		Paging.StopRule rule = Paging.stopRule(STOP);

		assertThat(rule.isLast(days(12, 12), days(12, 12))).isFalse();
		assertThat(rule.isLast(days(9, 9), days(9, 9))).as("ties fit newest first; the fall proves it").isTrue();
	}

	@Test
	void aPageOfOneTimeBelowTheStopStopsOnceTheOrderIsProven() {
		Paging.StopRule rule = Paging.stopRule(STOP);

		assertThat(rule.isLast(days(9, 9), days(9, 9))).as("unproven").isFalse();
		assertThat(rule.isLast(days(8), days(8))).as("the fall across pages proves it").isTrue();
	}

	@Test
	void aRejectedItemLeavesIdsAndTimesInStep() {
		Paging.StopRule rule = Paging.stopRule(STOP);
		Instant old = days(9).get(0);
		List<SourcePage.Listed> page = List.of(new SourcePage.Listed("a", old, old),
				new SourcePage.Listed("rejected", null, null), new SourcePage.Listed("b", old.minusSeconds(60), old));

		assertThat(rule.isLastOf(page)).isTrue();
	}

	@Test
	void idsAndTimesOutOfStepAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Paging.stopRule(STOP).isLast(List.of("a", "rejected", "b"), days(9, 8), days(9, 8)))
			.withMessageContaining("in step");
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
