package io.tributary.sync;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.sync}: how runs are scheduled.
 *
 * @param schedulingEnabled run connections on their schedules (off in tests that trigger
 * runs themselves)
 * @param initialDelay wait after start-up before the first scheduled run
 * @param lockLease how long a connection's lock lives without being renewed; a running
 * run renews it every half lease, so a run's lock outlives it by at most this long when
 * its process dies, and another process (or this one, restarted) takes the connection
 * over after that. At least 30 seconds.
 * @param shutdownWait how long shutdown waits for running runs to commit the page in
 * flight and stop
 * @param resumeWithin a full pass whose last run failed, was interrupted or paused is
 * resumed by the next full run (from the pages it committed) when that run ended within
 * this; a pass left longer starts again
 * @param passSlice how long a scheduled full run reads before it pauses: every poll first
 * reads each stream's head, then the open pass goes on for this long, so a pass that
 * takes hours (an initial backfill) never holds new data back
 * @param passBackoffMax a pass whose runs keep failing is tried again after one poll
 * interval, then two, four, … up to this
 * @param clockSkew upstream times later than a run's start plus this never move a
 * watermark, and items with times later than when their page is read plus this are
 * flagged on the row
 * @param deletions how full passes check and mark rows deleted upstream
 */
@ConfigurationProperties("tributary.sync")
record SyncProperties(@DefaultValue("true") boolean schedulingEnabled, @DefaultValue("PT2S") Duration initialDelay,
		@DefaultValue("PT1M") Duration lockLease, @DefaultValue("PT30S") Duration shutdownWait,
		@DefaultValue("PT24H") Duration resumeWithin, @DefaultValue("PT5M") Duration clockSkew,
		@DefaultValue("PT2M") Duration passSlice, @DefaultValue("PT1H") Duration passBackoffMax,
		@DefaultValue Deletions deletions) {

	SyncProperties {
		if (lockLease.compareTo(Duration.ofSeconds(30)) < 0) {
			throw new IllegalArgumentException(
					"tributary.sync.lock-lease must be at least PT30S (it is renewed every half lease), was "
							+ lockLease);
		}
	}

	/**
	 * {@code tributary.sync.deletions}: after a full pass, the stored rows it did not
	 * list are asked about, a bounded number per pass, those asked longest ago first.
	 *
	 * @param checksPerPass the fewest unlisted rows one pass asks the upstream about
	 * @param maxChecksPerPass the most: a pass asks about a third of the unlisted rows,
	 * between the two, so a large deletion is seen within about three passes
	 * @param recheckPresentAfter a row the upstream confirmed present is not asked again
	 * before this (a narrowed filter leaves rows unlisted but alive for good)
	 * @param maxShare a pass that would mark more than this share of a connection's rows
	 * deleted marks none, and says so in its run's {@code warning}: an API key narrowed
	 * to one product, or a broken detail endpoint, must not make data disappear
	 * @param maxShareFloor the share guard applies only above this many rows
	 */
	record Deletions(@DefaultValue("1000") int checksPerPass, @DefaultValue("20000") int maxChecksPerPass,
			@DefaultValue("P7D") Duration recheckPresentAfter, @DefaultValue("0.2") double maxShare,
			@DefaultValue("10") int maxShareFloor) {

		Deletions {
			if (checksPerPass < 1 || maxChecksPerPass < checksPerPass) {
				throw new IllegalArgumentException("tributary.sync.deletions.checks-per-pass must be at least 1 and "
						+ "at most max-checks-per-pass, was " + checksPerPass + " and " + maxChecksPerPass);
			}
			if (!(maxShare > 0 && maxShare <= 1)) {
				throw new IllegalArgumentException(
						"tributary.sync.deletions.max-share must be above 0 and at most 1, was " + maxShare);
			}
		}

		/**
		 * @param unlisted how many rows wait for a check
		 * @return how many this pass asks about
		 */
		int budget(long unlisted) {
			long third = (unlisted + 2) / 3;
			return (int) Math.min(this.maxChecksPerPass, Math.max(this.checksPerPass, third));
		}

	}

}
