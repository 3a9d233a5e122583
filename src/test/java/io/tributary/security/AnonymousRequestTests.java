package io.tributary.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.tributary.TestPostgresConfiguration;
import io.tributary.source.ConfiguredConnection;
import io.tributary.web.RawHttp;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.mockito.invocation.Invocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests without a valid key over real HTTP, each test from its own loopback addresses
 * (a client address of its own): health answers them from what it read last instead of
 * reading every connection's runs again, and each client address may send only so many
 * requests without a key, and far fewer with a key that is not valid.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"tributary.sync.scheduling-enabled=false", "tributary.security.api-keys[0].name=limits-full",
		"tributary.security.api-keys[0].key=" + AnonymousRequestTests.KEY,
		"tributary.security.api-keys[0].scopes=read,operate", "tributary.security.anonymous-rate-limit.requests=5",
		"tributary.security.anonymous-rate-limit.period=PT1H", "tributary.security.failed-auth-rate-limit.requests=3",
		"tributary.security.failed-auth-rate-limit.period=PT1H", "tributary.health.cache-ttl=PT1H",
		"tributary.sources.limits-a.type=flockx", "tributary.sources.limits-a.api-key=limits-upstream-key",
		"tributary.sources.limits-a.base-url=http://127.0.0.1:9/api/v1", "tributary.sources.limits-b.type=flockx",
		"tributary.sources.limits-b.api-key=limits-upstream-key",
		"tributary.sources.limits-b.base-url=http://127.0.0.1:9/api/v1" })
@Import(TestPostgresConfiguration.class)
class AnonymousRequestTests {

	static final String KEY = "limits-key-0123456789abcdef";

	@LocalServerPort
	private int port;

	@Autowired
	private JsonMapper json;

	/** What reads each connection's run records for its health. */
	@MockitoSpyBean(name = "freshness")
	private Object freshness;

	/**
	 * Only this test reads the connections' health in this context (the others use the
	 * probes, which do not include it), so the cache is cold when it starts.
	 */
	@Test
	void manyAnonymousHealthRequestsReadEachConnectionsRunsOnce() throws Exception {
		for (int i = 1; i <= 20; i++) {
			RawHttp.Response health = from("127.0.1." + i).send("GET", "/actuator/health", List.of());
			assertThat(health.status()).as(health.toString()).isEqualTo(200);
			assertThat(this.json.readTree(health.body()).get("status").asString()).isIn("UP", "UNKNOWN");
		}
		RawHttp.Response withDetails = from("127.0.1.21").send("GET", "/actuator/health", List.of("X-API-Key: " + KEY));
		JsonNode connections = this.json.readTree(withDetails.body()).at("/components/connections/components");
		assertThat(connections.propertyNames()).containsExactlyInAnyOrder("limits-a", "limits-b");

		assertThat(readsOf("limits-a")).as("run records read for limits-a").isOne();
		assertThat(readsOf("limits-b")).as("run records read for limits-b").isOne();
	}

	@Test
	void requestsWithoutAKeyAreLimitedPerClientAddressButNotTheProbes() throws Exception {
		RawHttp client = from("127.0.0.21");
		for (int i = 0; i < 5; i++) {
			assertThat(client.send("GET", "/api/v1/sources", List.of()).status()).isEqualTo(401);
		}

		RawHttp.Response limited = client.send("GET", "/api/v1/sources", List.of());

		assertRateLimited(limited, "without an API key", "5 per PT1H");
		assertThat(client.send("GET", "/actuator/health", List.of()).status()).as("health counts too").isEqualTo(429);
		for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
			RawHttp.Response answer = client.send("GET", probe, List.of());
			assertThat(answer.status()).as(probe + " is never limited").isEqualTo(200);
			assertThat(this.json.readTree(answer.body()).get("status").asString()).isEqualTo("UP");
		}
		assertThat(client.send("GET", "/api/v1/sources", List.of("X-API-Key: " + KEY)).status())
			.as("a key is not limited by it")
			.isEqualTo(200);
		assertThat(from("127.0.0.22").send("GET", "/api/v1/sources", List.of()).status())
			.as("another client address has its own")
			.isEqualTo(401);
	}

	@Test
	void keysThatAreNotValidAreLimitedPerClientAddressAndThenNoKeyIsChecked() throws Exception {
		RawHttp guesser = from("127.0.0.31");
		for (String wrong : List.of("X-API-Key: guess-0000000000000001", "Authorization: Bearer guess-000000000002",
				"X-API-Key: guess-0000000000000003")) {
			assertThat(guesser.send("GET", "/api/v1/sources", List.of(wrong)).status()).isEqualTo(401);
		}

		assertRateLimited(guesser.send("GET", "/api/v1/sources", List.of("X-API-Key: guess-0000000000000004")),
				"not valid", "3 per PT1H");
		assertRateLimited(guesser.send("GET", "/api/v1/sources", List.of("X-API-Key: " + KEY)),
				"no key from this address is checked", "3 per PT1H");
		assertThat(guesser.send("GET", "/actuator/health", List.of("X-API-Key: guess-0000000000000005")).status())
			.as("on health too")
			.isEqualTo(429);

		RawHttp other = from("127.0.0.32");
		for (int i = 0; i < 10; i++) {
			assertThat(other.send("GET", "/api/v1/sources", List.of("X-API-Key: " + KEY)).status())
				.as("a valid key gives its token back")
				.isEqualTo(200);
		}
		assertThat(other.send("GET", "/api/v1/sources", List.of("X-API-Key: guess-0000000000000006")).status())
			.isEqualTo(401);
	}

	@Test
	void guessesSentAtOnceGetNoMoreAnswersThanTheLimit() throws Exception {
		RawHttp guesser = from("127.0.0.41");
		ExecutorService threads = Executors.newFixedThreadPool(10);
		try {
			List<Future<Integer>> answers = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				String key = "X-API-Key: concurrent-guess-" + String.format("%012d", i);
				Callable<Integer> guess = () -> guesser.send("GET", "/api/v1/sources", List.of(key)).status();
				answers.add(threads.submit(guess));
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> answer : answers) {
				statuses.add(answer.get());
			}

			assertThat(statuses).containsOnly(401, 429);
			assertThat(statuses.stream().filter((status) -> status == 401).count()).isEqualTo(3);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private void assertRateLimited(RawHttp.Response response, String... detail) {
		assertThat(response.status()).as(response.toString()).isEqualTo(429);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, 3600L);
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(429);
		assertThat(problem.get("detail").asString()).contains(detail);
	}

	private long readsOf(String connection) {
		return Mockito.mockingDetails(this.freshness)
			.getInvocations()
			.stream()
			.filter((invocation) -> invocation.getMethod().getName().equals("of"))
			.map(Invocation::getArguments)
			.filter((arguments) -> ((ConfiguredConnection) arguments[0]).name().equals(connection))
			.count();
	}

	private RawHttp from(String address) throws UnknownHostException {
		return new RawHttp(this.port, InetAddress.getByName(address));
	}

}
