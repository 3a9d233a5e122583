package io.tributary.sync;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A cached indicator is evaluated again only once its result is older than the time to
 * live, on a clock the test moves.
 */
class CachedHealthTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final AtomicInteger evaluations = new AtomicInteger();

	@Test
	void aResultIsKeptForTheTimeToLiveThenReadAgain() {
		HealthIndicator cached = new CachedHealth(
				() -> Health.up().withDetail("n", this.evaluations.incrementAndGet()).build(), Duration.ofSeconds(5),
				this.now::get);

		assertThat(cached.health().getDetails()).containsEntry("n", 1);
		this.now.addAndGet(Duration.ofSeconds(5).toNanos() - 1);
		assertThat(cached.health().getDetails()).containsEntry("n", 1);
		assertThat(cached.health(false).getDetails()).as("without details, from the same result").isEmpty();
		this.now.addAndGet(1);
		assertThat(cached.health().getDetails()).containsEntry("n", 2);
		assertThat(this.evaluations).hasValue(2);
	}

	@Test
	void aFailureIsNotKept() {
		HealthIndicator cached = new CachedHealth(() -> {
			if (this.evaluations.incrementAndGet() == 1) {
				throw new IllegalStateException("database down");
			}
			return Health.up().build();
		}, Duration.ofSeconds(5), this.now::get);

		assertThatIllegalStateException().isThrownBy(cached::health);
		assertThat(cached.health().getStatus().getCode()).isEqualTo("UP");
	}

	@Test
	void connectionsHealthIsKeptFor5SecondsByDefault() {
		assertThat(new org.springframework.boot.context.properties.bind.Binder(
				new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(
						java.util.Map.of()))
			.bindOrCreate("tributary.health", HealthProperties.class)
			.cacheTtl()).hasSeconds(5);
	}

	@Test
	void noTimeToLiveIsNoCache() {
		HealthIndicator indicator = () -> Health.up().build();

		assertThat(CachedHealth.of(indicator, Duration.ZERO)).isSameAs(indicator);
	}

}
