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
 * @param staleRunAfter a run still marked running after this long is taken as abandoned
 * (its process died) and recorded as failed, so the connection can run again
 */
@ConfigurationProperties("tributary.sync")
record SyncProperties(@DefaultValue("true") boolean schedulingEnabled, @DefaultValue("PT2S") Duration initialDelay,
		@DefaultValue("PT2H") Duration staleRunAfter) {
}
