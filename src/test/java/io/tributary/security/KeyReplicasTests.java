package io.tributary.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.TestPostgresConfiguration;
import io.tributary.TributaryApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.tributary.security.Gateway.encoded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of the gateway, two application contexts on one PostgreSQL database: a key
 * made through one works on both within seconds, one revoked or expired through one
 * answers 401 on both within seconds, the two together let a key send no more than its
 * limit, and a database that does not answer the limiter in time costs no request its
 * answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyReplicasTests {

	/** The test key of {@code config/application.yml}: both scopes, every connection. */
	private static final String ADMIN = "test-key-read-and-operate";

	private static final String CONNECTION = "replica-flockx";

	/**
	 * Within what a replica sees another's change: twice the default refresh, and slack.
	 */
	private static final Duration WITHIN = Duration.ofSeconds(8);

	private ConfigurableApplicationContext first;

	private ConfigurableApplicationContext second;

	private Gateway one;

	private Gateway two;

	@BeforeAll
	void twoReplicas() {
		this.first = replica();
		this.second = replica();
		this.one = new Gateway(port(this.first));
		this.two = new Gateway(port(this.second));
	}

	@AfterAll
	void stop() {
		if (this.first != null) {
			this.first.close();
		}
		if (this.second != null) {
			this.second.close();
		}
	}

	@Test
	void aKeyMadeThroughOneReplicaWorksOnBothWithinSeconds() {
		String secret = this.one.create(ADMIN, "name=" + unique("made") + "&scope=read");
		assertThat(this.one.get(secret, "/api/v1/sources").status()).as("at once where it was made").isEqualTo(200);
		long started = System.nanoTime();
		await().atMost(WITHIN)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.two.get(secret, "/api/v1/sources").status() == 200);
		System.out.printf("A new key worked on the other replica after %d ms%n",
				(System.nanoTime() - started) / 1_000_000);
	}

	@Test
	void aRevokedKeyAnswers401OnBothWithinSeconds() {
		String name = unique("revoked");
		String secret = this.one.create(ADMIN, "name=" + name + "&scope=read");
		await().atMost(WITHIN).until(() -> this.two.get(secret, "/api/v1/sources").status() == 200);
		assertThat(this.two.post(ADMIN, "/api/v1/api-keys/" + name + "/revoke").status()).isEqualTo(200);
		assertThat(this.two.get(secret, "/api/v1/sources").status()).as("at once where it was revoked").isEqualTo(401);
		long started = System.nanoTime();
		await().atMost(WITHIN)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.one.get(secret, "/api/v1/sources").status() == 401);
		System.out.printf("A revoked key answered 401 on the other replica after %d ms%n",
				(System.nanoTime() - started) / 1_000_000);
		assertThat(this.one.get(secret, "/api/v1/sources").json().get("detail").asString())
			.contains("unknown, expired or revoked");
	}

	@Test
	void aKeyExpiresOnBothReplicasAtItsTime() {
		Instant expiresAt = Instant.now().plusSeconds(4);
		String secret = this.one.create(ADMIN,
				"name=" + unique("expiring") + "&scope=read&expiresAt=" + encoded(expiresAt.toString()));
		await().atMost(WITHIN).until(() -> this.two.get(secret, "/api/v1/sources").status() == 200);
		assertThat(this.one.get(secret, "/api/v1/sources").status()).isEqualTo(200);
		await().atMost(WITHIN)
			.until(() -> this.one.get(secret, "/api/v1/sources").status() == 401
					&& this.two.get(secret, "/api/v1/sources").status() == 401);
		assertThat(Instant.now()).as("not before its time").isAfterOrEqualTo(expiresAt);

		String name = unique("expired-now");
		String other = this.two.create(ADMIN, "name=" + name + "&scope=read");
		await().atMost(WITHIN).until(() -> this.one.get(other, "/api/v1/sources").status() == 200);
		assertThat(this.two.post(ADMIN, "/api/v1/api-keys/" + name + "/expire").status()).isEqualTo(200);
		await().atMost(WITHIN).until(() -> this.one.get(other, "/api/v1/sources").status() == 401);
	}

	@Test
	void twoReplicasTogetherNeverLetAKeyExceedItsLimitByMoreThanOneRefill() throws Exception {
		int capacity = 10;
		Duration period = Duration.ofSeconds(1);
		String secret = this.one.create(ADMIN,
				"name=" + unique("limited") + "&scope=read&rateLimitRequests=" + capacity + "&rateLimitPeriod=PT1S");
		await().atMost(WITHIN).until(() -> this.two.get(secret, "/api/v1/interactions?limit=1").status() != 401);
		// the bucket is full again before the run starts
		Thread.sleep(period.toMillis() + 100);
		AtomicInteger allowed = new AtomicInteger();
		AtomicInteger limited = new AtomicInteger();
		AtomicInteger other = new AtomicInteger();
		ExecutorService clients = Executors.newFixedThreadPool(4);
		long started = System.nanoTime();
		long end = started + Duration.ofSeconds(3).toNanos();
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Gateway replica = (i % 2 == 0) ? this.one : this.two;
			running.add(clients.submit(() -> {
				while (System.nanoTime() < end) {
					int status = replica.get(secret, "/api/v1/interactions?limit=1").status();
					(status == 200 ? allowed : status == 429 ? limited : other).incrementAndGet();
				}
			}));
		}
		for (Future<?> client : running) {
			client.get();
		}
		double elapsed = (System.nanoTime() - started) / 1e9;
		clients.shutdown();
		// a full bucket, what refills while the run lasts, and one refill of slack
		long most = capacity + (long) Math.ceil(capacity * elapsed / period.toSeconds()) + capacity;
		System.out.printf("Two replicas, one key of %d per %s: %d allowed, %d limited in %.2f s (at most %d)%n",
				capacity, period, allowed.get(), limited.get(), elapsed, most);
		assertThat(other.get()).as("every answer is a 200 or a 429").isZero();
		assertThat(limited.get()).as("the clients asked for more than the limit").isPositive();
		assertThat(allowed.get()).isGreaterThanOrEqualTo(capacity).isLessThanOrEqualTo((int) most);
		assertThat(allowed.get()).as("not each replica's own limit: twice the allowance would pass")
			.isLessThan((int) (2 * (capacity + capacity * elapsed / period.toSeconds())));
	}

	@Test
	@Order(Integer.MAX_VALUE) // last: its replica uses its own buckets for a while after
	void aDatabaseThatDoesNotAnswerTheLimiterCostsNoRequestItsAnswer() throws Exception {
		int capacity = 5;
		String name = unique("hiccup");
		String secret = this.one.create(ADMIN,
				"name=" + name + "&scope=read&rateLimitRequests=" + capacity + "&rateLimitPeriod=PT1H");
		assertThat(this.one.get(secret, "/api/v1/interactions?limit=1").status()).isEqualTo(200);
		String bucket = name + ":" + capacity + "/3600000ms";
		MeterRegistry meters = this.first.getBean(MeterRegistry.class);
		double fallbacksBefore = fallbacks(meters);
		DataSource database = this.first.getBean(DataSource.class);
		// another transaction holds the key's bucket: the limiter's statement times out
		try (Connection lock = database.getConnection()) {
			lock.setAutoCommit(false);
			try (PreparedStatement select = lock
				.prepareStatement("SELECT state FROM rate_limit_bucket WHERE id = ? FOR UPDATE")) {
				select.setString(1, bucket);
				assertThat(select.executeQuery().next()).as("the key's bucket row").isTrue();
			}
			long started = System.nanoTime();
			Gateway.Answer answer = this.one.get(secret, "/api/v1/interactions?limit=1");
			long millis = (System.nanoTime() - started) / 1_000_000;
			assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
			assertThat(millis).as("bounded by the limiter's statement timeout").isLessThan(3000);
			assertThat(fallbacks(meters)).isGreaterThan(fallbacksBefore);
			// the limit holds on this replica meanwhile: its own bucket, full at first
			int allowed = 1;
			while (this.one.get(secret, "/api/v1/interactions?limit=1").status() == 200) {
				allowed++;
				assertThat(allowed).isLessThanOrEqualTo(capacity);
			}
			assertThat(allowed).isEqualTo(capacity);
			lock.rollback();
		}
	}

	private static double fallbacks(MeterRegistry meters) {
		return meters.get("tributary.rate.limit.fallbacks").counter().count();
	}

	private static ConfigurableApplicationContext replica() {
		return new SpringApplicationBuilder(TributaryApplication.class, TestPostgresConfiguration.class)
			.properties("server.port=0", "tributary.sync.scheduling-enabled=false",
					"tributary.security.failed-auth-rate-limit.requests=1000000",
					"tributary.security.anonymous-rate-limit.requests=1000000",
					"tributary.security.shared-rate-limit.retry-database-after=PT1S",
					"tributary.sources." + CONNECTION + ".type=flockx",
					"tributary.sources." + CONNECTION + ".base-url=http://127.0.0.1:9/api/v1",
					"tributary.sources." + CONNECTION + ".api-key=replica-upstream-key",
					"tributary.sources." + CONNECTION + ".enabled=false")
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
