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
 * @param resumeWithin a full run that failed or was interrupted is resumed by the next
 * full run (from the pages it committed) when its pass began within this; older passes
 * start again
 * @param clockSkew upstream times later than a run's start plus this never move a
 * watermark (and are flagged on the row)
 */
@ConfigurationProperties("tributary.sync")
record SyncProperties(@DefaultValue("true") boolean schedulingEnabled, @DefaultValue("PT2S") Duration initialDelay,
		@DefaultValue("PT1M") Duration lockLease, @DefaultValue("PT30S") Duration shutdownWait,
		@DefaultValue("PT24H") Duration resumeWithin, @DefaultValue("PT5M") Duration clockSkew) {

	SyncProperties {
		if (lockLease.compareTo(Duration.ofSeconds(30)) < 0) {
			throw new IllegalArgumentException(
					"tributary.sync.lock-lease must be at least PT30S (it is renewed every half lease), was "
							+ lockLease);
		}
	}

}
