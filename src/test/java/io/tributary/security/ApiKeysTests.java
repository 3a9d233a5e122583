package io.tributary.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import io.tributary.source.Connections;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.BadCredentialsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.Mockito.mock;

/**
 * Key configuration is checked when the application starts: each mistake stops it with
 * one message naming the property.
 */
class ApiKeysTests {

	private static final ApiSecurityProperties.RateLimit DEFAULT_LIMIT = new ApiSecurityProperties.RateLimit(100,
			Duration.ofSeconds(1));

	private static final ApiSecurityProperties.Cors NO_CORS = new ApiSecurityProperties.Cors(List.of(),
			Duration.ofMinutes(30));

	@Test
	void theGatewayRefusesToStartWithoutKeysUnlessSecurityIsSwitchedOff() {
		Connections connections = mock(Connections.class);
		assertThatIllegalStateException()
			.isThrownBy(() -> new SecurityConfiguration().apiKeys(properties(true), connections))
			.withMessageContaining("tributary.security.api-keys")
			.withMessageContaining("tributary.security.enabled=false");
		assertThat(new SecurityConfiguration().apiKeys(properties(false), connections).isEmpty()).isTrue();
	}

	@Test
	void aKeyIsFoundByItsSecretOrItsDigestAndNothingElse() {
		ApiKeys keys = keys(key("plain", "plain-secret-0123456789", null, Set.of(Scope.READ), List.of()),
				key("hashed", null, "75B38889FF0E52878A7637A97AE16CBE0AF0F5542459765A705DB1E2E8B7D33D",
						Set.of(Scope.OPERATE), List.of()));
		assertThat(keys.find("plain-secret-0123456789")).map(ApiKeys.Key::name).hasValue("plain");
		assertThat(keys.find("reader-key-0123456789abcdef")).map(ApiKeys.Key::name).hasValue("hashed");
		assertThat(keys.find("plain-secret-012345678")).isEmpty();
		assertThat(keys.find("")).isEmpty();
		assertThat(keys.find("plain-secret-0123456789").toString()).as("a key prints its name only")
			.isEqualTo("Optional[Key[plain]]");
	}

	@Test
	void eachMistakeNamesItsProperty() {
		assertRefused("tributary.security.api-keys[0].name is required",
				key(null, "plain-secret-0123456789", null, Set.of(Scope.READ), List.of()));
		assertRefused("tributary.security.api-keys[0].key or tributary.security.api-keys[0].key-sha256 is required",
				key("none", null, null, Set.of(Scope.READ), List.of()));
		assertRefused("not both",
				key("both", "plain-secret-0123456789", "ab".repeat(32), Set.of(Scope.READ), List.of()));
		assertRefused("tributary.security.api-keys[0].key must be at least 16 characters",
				key("short", "short", null, Set.of(Scope.READ), List.of()));
		assertRefused("key-sha256 must be 64 hexadecimal digits",
				key("digest", null, "not-hex", Set.of(Scope.READ), List.of()));
		assertRefused("tributary.security.api-keys[0].scopes must name read, operate or both",
				key("noscope", "plain-secret-0123456789", null, Set.of(), List.of()));
		assertRefused("connections names 'elsewhere', which is not a configured connection",
				key("limited", "plain-secret-0123456789", null, Set.of(Scope.READ), List.of("elsewhere")));
		assertRefused("tributary.security.api-keys[1].name 'twice' is used by another key",
				key("twice", "plain-secret-0123456789", null, Set.of(Scope.READ), List.of()),
				key("twice", "other-secret-0123456789", null, Set.of(Scope.READ), List.of()));
		assertRefused("is the same secret as another key",
				key("one", "plain-secret-0123456789", null, Set.of(Scope.READ), List.of()),
				key("two", "plain-secret-0123456789", null, Set.of(Scope.READ), List.of()));
	}

	@Test
	void aKeyMayLimitItselfToConfiguredConnections() {
		ApiKeys keys = keys(key("limited", "plain-secret-0123456789", null, Set.of(Scope.READ), List.of("zylon-a")));
		assertThat(keys.all().get(0).connections()).containsExactly("zylon-a");
	}

	@Test
	void aConfiguredKeyWithAnExpiryIsRefusedFromThenOnLikeAnUnknownOne() {
		Instant expiry = Instant.parse("2027-01-31T00:00:00Z");
		ApiKeys keys = new ApiKeys(new ApiSecurityProperties(true,
				List.of(new ApiSecurityProperties.ApiKey("until-january", "plain-secret-0123456789", null,
						Set.of(Scope.READ), List.of(), null, expiry)),
				DEFAULT_LIMIT, NO_CORS, null, null, 10_000), Set.of());
		ApiKeyRequests before = new ApiKeyRequests(keys, null, Clock.fixed(expiry.minusSeconds(1), ZoneOffset.UTC));
		ApiKeyRequests at = new ApiKeyRequests(keys, null, Clock.fixed(expiry, ZoneOffset.UTC));
		assertThat(before.authenticate(ApiKeyAuthentication.presented("plain-secret-0123456789")).getName())
			.isEqualTo("until-january");
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> at.authenticate(ApiKeyAuthentication.presented("plain-secret-0123456789")))
			.withMessage("Unknown, expired or revoked API key");
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> at.authenticate(ApiKeyAuthentication.presented("no-such-secret-0123456789")))
			.withMessage("Unknown, expired or revoked API key");
	}

	private static void assertRefused(String message, ApiSecurityProperties.ApiKey... keys) {
		assertThatIllegalArgumentException().isThrownBy(() -> keys(keys)).withMessageContaining(message);
	}

	private static ApiKeys keys(ApiSecurityProperties.ApiKey... keys) {
		return new ApiKeys(new ApiSecurityProperties(true, List.of(keys), DEFAULT_LIMIT, NO_CORS, null, null, 10_000),
				Set.of("zylon-a", "flockx-b"));
	}

	private static ApiSecurityProperties.ApiKey key(String name, String key, String sha256, Set<Scope> scopes,
			List<String> connections) {
		return new ApiSecurityProperties.ApiKey(name, key, sha256, scopes, connections, null, null);
	}

	private static ApiSecurityProperties properties(boolean enabled) {
		return new ApiSecurityProperties(enabled, List.<ApiSecurityProperties.ApiKey>of(), DEFAULT_LIMIT, NO_CORS, null,
				null, 10_000);
	}

}
