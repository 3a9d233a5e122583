package io.tributary.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.tributary.TestPostgresConfiguration;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole application on a real port, for requests only a real HTTP connection can
 * carry (see {@link RawHttp}). One key with both scopes and a rate limit no test loop
 * reaches; one connection, disabled and pointing at a closed local port, so a sync run a
 * test starts fails at once and touches nothing; no schedules. Test classes using it
 * share one Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "tributary.sync.scheduling-enabled=false", "tributary.security.api-keys[0].name=edge",
				"tributary.security.api-keys[0].key=" + HttpEdgeTest.KEY,
				"tributary.security.api-keys[0].scopes=read,operate",
				"tributary.security.api-keys[0].rate-limit.requests=1000000",
				"tributary.sources." + HttpEdgeTest.CONNECTION + ".type=flockx",
				"tributary.sources." + HttpEdgeTest.CONNECTION + ".base-url=http://127.0.0.1:9/api/v1",
				"tributary.sources." + HttpEdgeTest.CONNECTION + ".api-key=edge-upstream-key",
				"tributary.sources." + HttpEdgeTest.CONNECTION + ".enabled=false",
				"tributary.sources." + HttpEdgeTest.CONNECTION + ".retry.max-attempts=1" })
@Import(TestPostgresConfiguration.class)
@interface HttpEdgeTest {

	/** The key, with both scopes. */
	String KEY = "edge-key-read-and-operate";

	/** The one connection. */
	String CONNECTION = "edge-flockx";

}
