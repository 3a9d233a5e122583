package io.tributary.sandbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.sandbox.chaos.*}: makes the simulated upstreams misbehave the way real
 * ones do. Off by default (and in the demo).
 *
 * @param enabled whether the upstreams misbehave and delete items at all
 * @param faultRate the share of requests answered with a fault (500/503, 429, a slow
 * answer or a truncated 200 body), 0..1
 * @param seed seeds the faults and which items are deleted, so a run can be repeated
 * @param deletedShare the share of items (chosen by index, per source) deleted at some
 * moment, 0..1
 * @param deleteWithin how long after the sandbox starts (or, for items created later,
 * after their creation, plus a minute) an item chosen for deletion is deleted, at the
 * latest
 * @param maxDelay the longest delay of a slow answer; under a second
 * @param failingGreenflashPage a page of the Greenflash listing (by {@code page}, or the
 * {@code offset} that falls in it) that always answers 500, calm or not: a pass that can
 * never finish; 0 for none
 */
@ConfigurationProperties("tributary.sandbox.chaos")
record SandboxChaosProperties(@DefaultValue("false") boolean enabled, @DefaultValue("0.2") double faultRate,
		@DefaultValue("1") long seed, @DefaultValue("0.05") double deletedShare,
		@DefaultValue("PT30M") Duration deleteWithin, @DefaultValue("PT0.3S") Duration maxDelay,
		@DefaultValue("0") int failingGreenflashPage) {

	SandboxChaosProperties {
		if (faultRate < 0 || faultRate > 1) {
			throw new IllegalArgumentException("tributary.sandbox.chaos.fault-rate must be 0..1, was " + faultRate);
		}
		if (deletedShare < 0 || deletedShare > 1) {
			throw new IllegalArgumentException(
					"tributary.sandbox.chaos.deleted-share must be 0..1, was " + deletedShare);
		}
		if (deleteWithin.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException(
					"tributary.sandbox.chaos.delete-within must be at least PT1S, was " + deleteWithin);
		}
		if (maxDelay.isNegative() || maxDelay.compareTo(Duration.ofSeconds(1)) >= 0) {
			throw new IllegalArgumentException(
					"tributary.sandbox.chaos.max-delay must be under a second, was " + maxDelay);
		}
	}

}
