package io.tributary.security;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Which client an address counts for, how many addresses are kept, and the defaults.
 */
class ClientLimitsTests {

	@Test
	void anIpv4AddressCountsAsItselfAndAnIpv6AddressByItsSlash64() {
		assertThat(ClientLimits.address("203.0.113.7")).isEqualTo("203.0.113.7");
		assertThat(ClientLimits.address("2001:db8:1:2:aaaa::1")).isEqualTo(ClientLimits.address("2001:db8:1:2::ffff"))
			.isEqualTo("20010db800010002::/64")
			.isNotEqualTo(ClientLimits.address("2001:db8:1:3::1"));
		assertThat(ClientLimits.address("::ffff:203.0.113.7")).as("IPv4-mapped").isEqualTo("203.0.113.7");
	}

	@Test
	void whatIsNoAddressIsNeverLookedUpAndKeptShort() {
		// what a forwarded header can carry with
		// server.forward-headers-strategy=framework
		assertThat(ClientLimits.address("attacker.example.com")).isEqualTo("attacker.example.com");
		assertThat(ClientLimits.address("abc:not-an-address")).isEqualTo("abc:not-an-address");
		assertThat(ClientLimits.address("x".repeat(5000))).hasSize(100);
		assertThat(ClientLimits.address(null)).isEmpty();
	}

	@Test
	void theBucketsOfAtMostTheConfiguredNumberOfAddressesAreKept() {
		ClientLimits limits = new ClientLimits(bind(Map.of("tributary.security.rate-limited-addresses", "50")));
		for (int i = 0; i < 2000; i++) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/sources");
			request.setRemoteAddr("198.51." + (i / 256) + "." + (i % 256));
			limits.anonymous(request);
		}

		assertThat(limits.addresses()).isLessThanOrEqualTo(50);
	}

	@Test
	void theDefaultsAre20RequestsASecondWithoutAKeyAnd10AMinuteWithAWrongOne() {
		ApiSecurityProperties defaults = bind(Map.of());

		assertThat(defaults.anonymousRateLimit().requests()).isEqualTo(20);
		assertThat(defaults.anonymousRateLimit().period()).hasSeconds(1);
		assertThat(defaults.failedAuthRateLimit().requests()).isEqualTo(10);
		assertThat(defaults.failedAuthRateLimit().period()).hasMinutes(1);
		assertThat(defaults.rateLimitedAddresses()).isEqualTo(10_000);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ApiSecurityProperties.FailedAuthRateLimit(0, java.time.Duration.ofMinutes(1)))
			.withMessageContaining("tributary.security.failed-auth-rate-limit");
	}

	private static ApiSecurityProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("tributary.security",
				ApiSecurityProperties.class);
	}

}
