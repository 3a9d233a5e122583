package io.tributary.security;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a caller without an authenticated key may see: nothing, unless security is off.
 */
class ScopedConnectionsTests {

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void withoutAnAuthenticatedKeyNothingIsVisible() {
		SecurityContextHolder.clearContext();

		assertThat(new ScopedConnections(true).limitedTo()).as("fails closed").isEqualTo(Optional.of(Set.of()));
		assertThat(new ScopedConnections(true).allows("any")).isFalse();
		assertThat(new ScopedConnections(false).limitedTo()).as("security off: every connection").isEmpty();
	}

}
