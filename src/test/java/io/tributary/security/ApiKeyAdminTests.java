package io.tributary.security;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.tributary.HttpEdgeTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.tributary.security.Gateway.encoded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/api-keys} on one gateway: who may use it (a key with {@code operate}
 * limited to no connections), the rule that no key makes a key broader than itself, what
 * each refusal names, and that no answer or log line shows a secret.
 */
@HttpEdgeTest
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyAdminTests {

	private static final String ADMIN = HttpEdgeTest.KEY;

	@LocalServerPort
	private int port;

	private Gateway gateway;

	@BeforeEach
	void gateway() {
		this.gateway = new Gateway(this.port);
	}

	@Test
	void onlyAKeyWithOperateThatSeesEveryConnectionManagesKeys() {
		for (String path : new String[] { "/api/v1/api-keys", "/api/v1/api-keys/anything" }) {
			Gateway.Answer reader = this.gateway.get(HttpEdgeTest.READER, path);
			assertThat(reader.status()).as(path).isEqualTo(403);
			assertThat(reader.header("WWW-Authenticate")).contains("insufficient_scope", "scope=\"operate\"");
			Gateway.Answer limited = this.gateway.get(HttpEdgeTest.ZYLON_OPERATOR, path);
			assertThat(limited.status()).as(path).isEqualTo(403);
			assertThat(limited.json().get("title").asString()).isEqualTo("Key limited to some connections");
		}
		Gateway.Answer limitedCreates = this.gateway.post(HttpEdgeTest.ZYLON_OPERATOR,
				"/api/v1/api-keys?name=" + unique("z") + "&scope=read&connection=" + HttpEdgeTest.ZYLON_CONNECTION);
		assertThat(limitedCreates.status()).as("even a key within its own connections").isEqualTo(403);
		assertThat(
				this.gateway.post(HttpEdgeTest.READER, "/api/v1/api-keys?name=" + unique("r") + "&scope=read").status())
			.isEqualTo(403);
		assertThat(this.gateway.get(null, "/api/v1/api-keys").status()).isEqualTo(401);
		assertThat(this.gateway.get(HttpEdgeTest.OPERATOR, "/api/v1/api-keys").status())
			.as("operate alone is enough to manage keys")
			.isEqualTo(200);
	}

	@Test
	void noKeyMakesAKeyBroaderThanItself() {
		Gateway.Answer readFromOperator = this.gateway.post(HttpEdgeTest.OPERATOR,
				"/api/v1/api-keys?name=" + unique("o") + "&scope=read");
		assertThat(readFromOperator.status()).isEqualTo(403);
		assertThat(readFromOperator.json().get("parameter").asString()).isEqualTo("scope");
		assertThat(readFromOperator.json().get("detail").asString()).contains("[operate]", "not [read]");
		this.gateway.create(HttpEdgeTest.OPERATOR, "name=" + unique("o") + "&scope=operate");

		// a stored key that expires makes only keys that expire no later
		Instant hour = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
		String expiring = this.gateway.create(ADMIN,
				"name=" + unique("e") + "&scope=read&scope=operate&expiresAt=" + encoded(hour.toString()));
		Gateway.Answer forever = this.gateway.post(expiring, "/api/v1/api-keys?name=" + unique("f") + "&scope=read");
		assertThat(forever.status()).isEqualTo(403);
		assertThat(forever.json().get("parameter").asString()).isEqualTo("expiresAt");
		Gateway.Answer later = this.gateway.post(expiring, "/api/v1/api-keys?name=" + unique("f")
				+ "&scope=read&expiresAt=" + encoded(hour.plusSeconds(1).toString()));
		assertThat(later.status()).isEqualTo(403);
		Gateway.Answer sooner = this.gateway.post(expiring,
				"/api/v1/api-keys?name=" + unique("f") + "&scope=read&expiresAt=" + encoded(hour.toString()));
		assertThat(sooner.status()).as(sooner.toString()).isEqualTo(201);
		assertThat(sooner.json().at("/key/createdBy").asString()).startsWith("e-");
	}

	@Test
	void aKeyLimitedToAConnectionSeesThatConnectionOnly() {
		String zylon = this.gateway.create(ADMIN,
				"name=" + unique("z") + "&scope=read&connection=" + HttpEdgeTest.ZYLON_CONNECTION);
		JsonNode sources = this.gateway.get(zylon, "/api/v1/sources").json();
		assertThat(sources.valueStream().map((source) -> source.get("connection").asString()))
			.containsExactly(HttpEdgeTest.ZYLON_CONNECTION);
		assertThat(this.gateway.get(zylon, "/api/v1/sources/" + HttpEdgeTest.FLOCKX_CONNECTION).status())
			.isEqualTo(404);
		assertThat(this.gateway.post(zylon, "/api/v1/sources/" + HttpEdgeTest.ZYLON_CONNECTION + "/sync").status())
			.as("read only")
			.isEqualTo(403);
	}

	@Test
	void eachMistakeIsA4xxNamingItsParameter() {
		assertRefused(400, "name", "scope=read");
		assertRefused(400, "name", "name=-starts-with-a-dash&scope=read");
		assertRefused(400, "name", "name=" + "a".repeat(65) + "&scope=read");
		assertRefused(400, "scope", "name=" + unique("m"));
		assertRefused(400, "scope", "name=" + unique("m") + "&scope=admin");
		assertRefused(400, "connection", "name=" + unique("m") + "&scope=read&connection=nowhere");
		assertRefused(400, "expiresAt", "name=" + unique("m") + "&scope=read&expiresAt=2020-01-01T00:00:00Z");
		assertRefused(400, "expiresAt", "name=" + unique("m") + "&scope=read&expiresAt=tomorrow");
		assertRefused(400, "rateLimitRequests", "name=" + unique("m") + "&scope=read&rateLimitRequests=0");
		assertRefused(400, "rateLimitPeriod", "name=" + unique("m") + "&scope=read&rateLimitPeriod=P2D");
		assertRefused(400, "rateLimitPeriod", "name=" + unique("m") + "&scope=read&rateLimitPeriod=soon");
		assertRefused(400, "secret", "name=" + unique("m") + "&scope=read&secret=chosen-by-me-0123456789");
		assertRefused(409, "name", "name=edge&scope=read");
		String name = unique("m");
		this.gateway.create(ADMIN, "name=" + name + "&scope=read");
		assertRefused(409, "name", "name=" + name + "&scope=read");
		this.gateway.post(ADMIN, "/api/v1/api-keys/" + name + "/revoke");
		assertRefused(409, "name", "name=" + name + "&scope=read");
		assertThat(this.gateway.get(ADMIN, "/api/v1/api-keys/no-such-key").status()).isEqualTo(404);
		assertThat(this.gateway.post(ADMIN, "/api/v1/api-keys/edge/revoke").json().get("detail").asString())
			.as("a configured key is changed in the configuration")
			.contains("configured key");
		assertThat(this.gateway.get(ADMIN, "/api/v1/api-keys?cursor=forged").status()).isEqualTo(400);
	}

	@Test
	void theSecretIsAnsweredOnceAndNeverShownOrLoggedAgain(CapturedOutput output) {
		String name = unique("s");
		Gateway.Answer created = this.gateway.post(ADMIN,
				"/api/v1/api-keys?name=" + name + "&scope=read&rateLimitRequests=7&rateLimitPeriod=PT2S");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.header("Location")).isEqualTo("/api/v1/api-keys/" + name);
		assertThat(created.header("Cache-Control")).contains("no-store");
		String secret = created.json().get("secret").asString();
		assertThat(secret).startsWith("tbk_").hasSize(47);
		JsonNode key = created.json().get("key");
		assertThat(key.get("status").asString()).isEqualTo("active");
		assertThat(key.at("/rateLimit/requests").asInt()).isEqualTo(7);
		assertThat(key.at("/rateLimit/period").asString()).isEqualTo("PT2S");
		assertThat(key.get("createdBy").asString()).isEqualTo("edge");

		Gateway.Answer one = this.gateway.get(ADMIN, "/api/v1/api-keys/" + name);
		Gateway.Answer list = this.gateway.get(ADMIN, "/api/v1/api-keys?limit=200");
		String digest = java.util.HexFormat.of().formatHex(io.tributary.common.Digests.sha256(secret));
		for (Gateway.Answer answer : new Gateway.Answer[] { one, list }) {
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.body()).contains(name).doesNotContain(secret, secret.substring(4, 20), digest);
		}
		assertThat(this.gateway.get(secret, "/api/v1/interactions?limit=1").header("RateLimit-Limit"))
			.as("its own limit")
			.isEqualTo("7");
		assertThat(output).contains("API key '" + name + "' created by 'edge': scopes [read]")
			.doesNotContain(secret, secret.substring(4, 20), digest);
	}

	@Test
	void theListPagesNewestFirst() {
		String older = unique("p");
		String newer = unique("p");
		this.gateway.create(ADMIN, "name=" + older + "&scope=read");
		this.gateway.create(ADMIN, "name=" + newer + "&scope=read");
		JsonNode first = this.gateway.get(ADMIN, "/api/v1/api-keys?limit=1").json();
		assertThat(first.at("/items/0/name").asString()).isEqualTo(newer);
		assertThat(first.at("/page/hasNext").asBoolean()).isTrue();
		JsonNode second = this.gateway
			.get(ADMIN, "/api/v1/api-keys?limit=1&cursor=" + encoded(first.at("/page/nextCursor").asString()))
			.json();
		assertThat(second.at("/items/0/name").asString()).isEqualTo(older);
	}

	@Test
	void anExpiryIsOnlyBroughtForwardAndARevocationIsFinal() {
		String name = unique("x");
		String secret = this.gateway.create(ADMIN, "name=" + name + "&scope=read");
		String path = "/api/v1/api-keys/" + name;
		Instant hour = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
		Gateway.Answer inAnHour = this.gateway.post(ADMIN, path + "/expire?at=" + encoded(hour.toString()));
		assertThat(inAnHour.status()).isEqualTo(200);
		assertThat(inAnHour.json().get("expiresAt").asString()).isEqualTo(hour.toString());
		assertThat(this.gateway.get(secret, "/api/v1/interactions?limit=1").status()).as("until then it works")
			.isEqualTo(200);
		Gateway.Answer later = this.gateway.post(ADMIN,
				path + "/expire?at=" + encoded(hour.plusSeconds(60).toString()));
		assertThat(later.status()).isEqualTo(409);
		assertThat(later.json().get("parameter").asString()).isEqualTo("at");
		assertThat(this.gateway.post(ADMIN, path + "/expire?at=2020-01-01T00:00:00Z").status()).isEqualTo(400);

		Gateway.Answer now = this.gateway.post(ADMIN, path + "/expire");
		assertThat(now.status()).isEqualTo(200);
		assertThat(now.json().get("status").asString()).isEqualTo("expired");
		assertThat(this.gateway.get(secret, "/api/v1/interactions?limit=1").status()).isEqualTo(401);
		assertThat(this.gateway.post(ADMIN, path + "/expire").status()).as("expired already").isEqualTo(409);

		Gateway.Answer revoked = this.gateway.post(ADMIN, path + "/revoke");
		assertThat(revoked.status()).isEqualTo(200);
		assertThat(revoked.json().get("status").asString()).isEqualTo("revoked");
		assertThat(revoked.json().get("revokedBy").asString()).isEqualTo("edge");
		Gateway.Answer again = this.gateway.post(HttpEdgeTest.OPERATOR, path + "/revoke");
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("revokedAt")).isEqualTo(revoked.json().get("revokedAt"));
		assertThat(again.json().get("revokedBy").asString()).as("the first revocation stands").isEqualTo("edge");
		assertThat(this.gateway.post(ADMIN, path + "/expire").status()).isEqualTo(409);
	}

	@Test
	void unknownExpiredAndRevokedKeysGetTheSameAnswer() {
		String expiredName = unique("u");
		String revokedName = unique("u");
		String expired = this.gateway.create(ADMIN, "name=" + expiredName + "&scope=read");
		String revoked = this.gateway.create(ADMIN, "name=" + revokedName + "&scope=read");
		assertThat(this.gateway.post(ADMIN, "/api/v1/api-keys/" + expiredName + "/expire").status()).isEqualTo(200);
		assertThat(this.gateway.post(ADMIN, "/api/v1/api-keys/" + revokedName + "/revoke").status()).isEqualTo(200);
		Gateway.Answer unknown = this.gateway.get("tbk_" + "A".repeat(43), "/api/v1/interactions");
		assertThat(unknown.status()).isEqualTo(401);
		for (String secret : new String[] { expired, revoked }) {
			Gateway.Answer answer = this.gateway.get(secret, "/api/v1/interactions");
			assertThat(answer.status()).isEqualTo(401);
			assertThat(answer.body()).isEqualTo(unknown.body());
			assertThat(answer.header("WWW-Authenticate")).isEqualTo(unknown.header("WWW-Authenticate"));
		}
		assertThat(unknown.json().get("detail").asString()).contains("unknown, expired or revoked");
	}

	private void assertRefused(int status, String parameter, String query) {
		Gateway.Answer answer = this.gateway.post(ADMIN, "/api/v1/api-keys?" + query);
		assertThat(answer.status()).as(query + ": " + answer).isEqualTo(status);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		assertThat(answer.json().get("parameter").asString()).as(query + ": " + answer).isEqualTo(parameter);
	}

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
