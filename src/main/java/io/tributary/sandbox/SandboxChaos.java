package io.tributary.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The sandbox's chaos mode ({@code tributary.sandbox.chaos.*}): which requests fail and
 * how, and which items are deleted when. Faults are drawn per request from a generator
 * seeded with {@code seed}; deletions are a pure function of seed, source and index, so
 * the data stays the same on every start with the same seed and clock. {@link #calm()}
 * stops the faults (not the deletions, which are part of the data) until
 * {@link #storm()}.
 */
@Component
@Profile("demo")
@EnableConfigurationProperties(SandboxChaosProperties.class)
class SandboxChaos {

	/** What a request gets. */
	enum Fault {

		/** The normal answer. */
		NONE,
		/** 500 or 503 with the vendor's error body. */
		SERVER_ERROR,
		/** 429 with {@code Retry-After: 0} (and {@code retry-after-ms: 0}). */
		RATE_LIMITED,
		/** The normal answer, after a short delay. */
		SLOW,
		/** Status 200, {@code application/json}, the first half of the body's bytes. */
		TRUNCATED

	}

	private final SandboxChaosProperties properties;

	private final SplittableRandom random;

	private final Map<Fault, AtomicLong> answered = new EnumMap<>(Fault.class);

	private volatile boolean calm;

	/** Requests still answered before an outage; negative when none is planned. */
	private final AtomicInteger outageIn = new AtomicInteger(-1);

	SandboxChaos(SandboxChaosProperties properties) {
		this.properties = properties;
		this.random = new SplittableRandom(properties.seed());
		for (Fault fault : Fault.values()) {
			this.answered.put(fault, new AtomicLong());
		}
	}

	/**
	 * @return whether chaos mode is on at all (faults, unless calm, and deletions)
	 */
	boolean enabled() {
		return this.properties.enabled();
	}

	/**
	 * @param page a Greenflash list page's number
	 * @return whether that page always fails ({@code failing-greenflash-page})
	 */
	boolean failsAlways(int page) {
		return this.properties.failingGreenflashPage() > 0 && page == this.properties.failingGreenflashPage();
	}

	/**
	 * Stops the faults, and any outage: every later request gets its normal answer, at
	 * once.
	 */
	void calm() {
		this.calm = true;
		this.outageIn.set(-1);
	}

	/**
	 * An outage: the next {@code requests} requests are answered normally, then every
	 * request gets a 500 or 503 until {@link #calm()} (or {@link #storm()}), whatever the
	 * fault rate; so a test can make a run fail after a chosen number of pages.
	 * @param requests how many requests are answered before the outage
	 */
	void outageAfter(int requests) {
		this.outageIn.set(Math.max(0, requests));
	}

	/** Starts the faults again after {@link #calm()}. */
	void storm() {
		this.calm = false;
		this.outageIn.set(-1);
	}

	/**
	 * @return whether requests may get faults now
	 */
	boolean stormy() {
		return this.properties.enabled() && !this.calm;
	}

	/**
	 * @param fault a kind of answer
	 * @return how many requests got it since the start
	 */
	long answered(Fault fault) {
		return this.answered.get(fault).get();
	}

	/** Draws the answer of one request (and counts it). */
	Fault next() {
		Fault fault = Fault.NONE;
		int beforeOutage = this.outageIn.getAndUpdate((left) -> (left > 0) ? left - 1 : left);
		if (beforeOutage == 0) {
			fault = Fault.SERVER_ERROR;
		}
		else if (beforeOutage < 0 && stormy()) {
			double draw;
			synchronized (this.random) {
				draw = this.random.nextDouble();
			}
			if (draw < this.properties.faultRate()) {
				// of the faults: 35% 5xx, 25% 429, 20% slow, 20% truncated
				double kind = draw / this.properties.faultRate();
				fault = (kind < 0.35) ? Fault.SERVER_ERROR
						: (kind < 0.60) ? Fault.RATE_LIMITED : (kind < 0.80) ? Fault.SLOW : Fault.TRUNCATED;
			}
		}
		this.answered.get(fault).incrementAndGet();
		return fault;
	}

	/**
	 * @return 500 or 503
	 */
	int serverErrorStatus() {
		synchronized (this.random) {
			return this.random.nextBoolean() ? 500 : 503;
		}
	}

	/**
	 * @return the delay of a slow answer: up to {@code max-delay}
	 */
	Duration delay() {
		long max = Math.max(1, this.properties.maxDelay().toMillis());
		synchronized (this.random) {
			return Duration.ofMillis(max / 4 + this.random.nextLong(max - max / 4 + 1));
		}
	}

	/**
	 * When an item is deleted upstream: a deterministic share of the items, each at a
	 * moment within {@code delete-within} of the sandbox's start (or of its own creation,
	 * for items created later), never before a minute has passed.
	 * @param source greenflash, zylon or flockx
	 * @param index the item's index
	 * @param createdAt its creation
	 * @param started when the sandbox started
	 * @return when it is deleted; null when never
	 */
	Instant deletedAt(String source, int index, Instant createdAt, Instant started) {
		if (!this.properties.enabled() || this.properties.deletedShare() == 0) {
			return null;
		}
		SplittableRandom item = new SplittableRandom(
				this.properties.seed() * 0x9E3779B97F4A7C15L + source.hashCode() * 1_000_003L + index);
		if (item.nextDouble() >= this.properties.deletedShare()) {
			return null;
		}
		Instant from = createdAt.isAfter(started) ? createdAt : started;
		return from.plusSeconds(60 + item.nextLong(this.properties.deleteWithin().toSeconds()));
	}

}
