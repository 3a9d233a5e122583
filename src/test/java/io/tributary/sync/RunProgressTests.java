package io.tributary.sync;

import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The progress of a run: only a full run expects the sum of its streams' totals.
 */
class RunProgressTests {

	@Test
	void aFullRunExpectsTheSumOfItsStreamsTotalsAndAnIncrementalRunNone() {
		RunProgress progress = new RunProgress(SyncMode.INCREMENTAL);
		assertThat(progress.expect(SourcePage.end("list").withTotal(99L))).isNull();
		RunProgress full = new RunProgress(SyncMode.FULL);
		assertThat(full.expect(SourcePage.end("project:a").withTotal(10L))).isEqualTo(10);
		assertThat(full.expect(SourcePage.end("project:b").withTotal(5L))).isEqualTo(15);
		assertThat(full.expect(SourcePage.end("project:a").withTotal(12L))).isEqualTo(17);
		assertThat(full.expect(SourcePage.end("list"))).isEqualTo(17);
	}

}
