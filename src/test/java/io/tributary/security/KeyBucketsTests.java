package io.tributary.security;

import java.time.Duration;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buckets behind the per-key rate limit, without a gateway around them: this
 * process's own, and the shared ones falling back to them when the database cannot be
 * reached at all.
 */
class KeyBucketsTests {

	@Test
	void eachKeyAndLimitHasItsOwnLocalBucket() {
		LocalKeyBuckets buckets = new LocalKeyBuckets();
		ApiKeys.Key two = key("a", 2);
		assertThat(buckets.tryConsume(two).isConsumed()).isTrue();
		assertThat(buckets.tryConsume(two).isConsumed()).isTrue();
		assertThat(buckets.tryConsume(two).isConsumed()).isFalse();
		assertThat(buckets.tryConsume(key("b", 2)).isConsumed()).as("another key").isTrue();
		assertThat(buckets.tryConsume(key("a", 3)).isConsumed()).as("the same key with a changed limit").isTrue();
	}

	@Test
	void withoutADatabaseTheSharedBucketsFallBackToThisProcesssAndHoldTheLimit() {
		try (HikariDataSource unreachable = new HikariDataSource()) {
			unreachable.setJdbcUrl("jdbc:postgresql://127.0.0.1:9/none");
			unreachable.setConnectionTimeout(250);
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			SharedKeyBuckets buckets = new SharedKeyBuckets(unreachable, Duration.ofMinutes(1), meters);
			ApiKeys.Key key = key("k", 3);
			long started = System.nanoTime();
			ConsumptionProbe first = buckets.tryConsume(key);
			assertThat(first.isConsumed()).isTrue();
			assertThat(first.getRemainingTokens()).isEqualTo(2);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).as("one failed attempt")
				.isLessThan(Duration.ofSeconds(3));
			long fallbackStarted = System.nanoTime();
			assertThat(buckets.tryConsume(key).isConsumed()).isTrue();
			assertThat(buckets.tryConsume(key).isConsumed()).isTrue();
			assertThat(buckets.tryConsume(key).isConsumed()).as("the limit holds in this process").isFalse();
			assertThat(Duration.ofNanos(System.nanoTime() - fallbackStarted))
				.as("the database is not tried again within retry-database-after")
				.isLessThan(Duration.ofMillis(200));
			assertThat(meters.get("tributary.rate.limit.fallbacks").counter().count()).isEqualTo(4);
		}
	}

	private static ApiKeys.Key key(String name, int requests) {
		return new ApiKeys.Key(name, new byte[32], Set.of(Scope.READ), Set.of(), requests, Duration.ofHours(1), null);
	}

}
