package io.tributary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole application on a real port, for requests only a real HTTP connection can
 * carry (see {@code io.tributary.web.RawHttp}) and for the authentication matrix over
 * real HTTP. Test classes using it share one Spring context, so it carries the union of
 * what they need; no schedules.
 * <ul>
 * <li>{@link #KEY}, with both scopes and a rate limit no test loop reaches;</li>
 * <li>the keys of {@code ApiSecurityTests}: one with both scopes, a reader configured by
 * its digest only, an operator, a reader limited to {@link #ZYLON_CONNECTION}, a reader
 * limited to 3 requests an hour and a key with both scopes limited to
 * {@link #ZYLON_CONNECTION};</li>
 * <li>three connections, each disabled and pointing at a closed local port, so a sync run
 * a test starts fails at once and touches nothing: {@link #CONNECTION} (Flockx, one
 * attempt), {@link #ZYLON_CONNECTION} and {@link #FLOCKX_CONNECTION};</li>
 * <li>CORS for {@link #ALLOWED_ORIGIN} only;</li>
 * <li>limits per client address no test reaches (every request comes from one).</li>
 * </ul>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"tributary.sync.scheduling-enabled=false",
		// the keys
		"tributary.security.api-keys[0].name=edge", "tributary.security.api-keys[0].key=" + HttpEdgeTest.KEY,
		"tributary.security.api-keys[0].scopes=read,operate",
		"tributary.security.api-keys[0].rate-limit.requests=1000000", "tributary.security.api-keys[1].name=full",
		"tributary.security.api-keys[1].key=" + HttpEdgeTest.FULL, "tributary.security.api-keys[1].scopes=read,operate",
		"tributary.security.api-keys[2].name=reader",
		"tributary.security.api-keys[2].key-sha256=" + HttpEdgeTest.READER_SHA256,
		"tributary.security.api-keys[2].scopes=read", "tributary.security.api-keys[3].name=operator",
		"tributary.security.api-keys[3].key=" + HttpEdgeTest.OPERATOR, "tributary.security.api-keys[3].scopes=operate",
		"tributary.security.api-keys[4].name=zylon-only",
		"tributary.security.api-keys[4].key=" + HttpEdgeTest.ZYLON_ONLY, "tributary.security.api-keys[4].scopes=read",
		"tributary.security.api-keys[4].connections=" + HttpEdgeTest.ZYLON_CONNECTION,
		"tributary.security.api-keys[5].name=slow", "tributary.security.api-keys[5].key=" + HttpEdgeTest.SLOW,
		"tributary.security.api-keys[5].scopes=read", "tributary.security.api-keys[5].rate-limit.requests=3",
		"tributary.security.api-keys[5].rate-limit.period=PT1H", "tributary.security.api-keys[6].name=zylon-operator",
		"tributary.security.api-keys[6].key=" + HttpEdgeTest.ZYLON_OPERATOR,
		"tributary.security.api-keys[6].scopes=read,operate",
		"tributary.security.api-keys[6].connections=" + HttpEdgeTest.ZYLON_CONNECTION,
		"tributary.security.cors.allowed-origins=" + HttpEdgeTest.ALLOWED_ORIGIN,
		// every request comes from one address, the fuzz's hundreds without a valid key
		// included: AnonymousRequestTests tests these limits
		"tributary.security.anonymous-rate-limit.requests=1000000",
		"tributary.security.failed-auth-rate-limit.requests=1000000",
		// the connections
		"tributary.sources." + HttpEdgeTest.CONNECTION + ".type=flockx",
		"tributary.sources." + HttpEdgeTest.CONNECTION + ".base-url=http://127.0.0.1:9/api/v1",
		"tributary.sources." + HttpEdgeTest.CONNECTION + ".api-key=edge-upstream-key",
		"tributary.sources." + HttpEdgeTest.CONNECTION + ".enabled=false",
		"tributary.sources." + HttpEdgeTest.CONNECTION + ".retry.max-attempts=1",
		"tributary.sources." + HttpEdgeTest.ZYLON_CONNECTION + ".type=zylon",
		"tributary.sources." + HttpEdgeTest.ZYLON_CONNECTION + ".base-url=http://127.0.0.1:9/api/v1",
		"tributary.sources." + HttpEdgeTest.ZYLON_CONNECTION + ".api-key=zylon-upstream-key",
		"tributary.sources." + HttpEdgeTest.ZYLON_CONNECTION + ".enabled=false",
		"tributary.sources." + HttpEdgeTest.ZYLON_CONNECTION + ".zylon.org=acme",
		"tributary.sources." + HttpEdgeTest.ZYLON_CONNECTION + ".zylon.project-ids=support",
		"tributary.sources." + HttpEdgeTest.FLOCKX_CONNECTION + ".type=flockx",
		"tributary.sources." + HttpEdgeTest.FLOCKX_CONNECTION + ".base-url=http://127.0.0.1:9/api/v1",
		"tributary.sources." + HttpEdgeTest.FLOCKX_CONNECTION + ".api-key=flockx-upstream-key",
		"tributary.sources." + HttpEdgeTest.FLOCKX_CONNECTION + ".enabled=false" })
@Import(TestPostgresConfiguration.class)
public @interface HttpEdgeTest {

	/** The edge tests' key, with both scopes and no practical rate limit. */
	String KEY = "edge-key-read-and-operate";

	/** The edge tests' connection. */
	String CONNECTION = "edge-flockx";

	/** A key with both scopes (and the default rate limit). */
	String FULL = "full-key-0123456789abcdef";

	/** A key with scope read, configured by its digest only ({@link #READER_SHA256}). */
	String READER = "reader-key-0123456789abcdef";

	/** SHA-256 of {@link #READER}. */
	String READER_SHA256 = "75b38889ff0e52878a7637a97ae16cbe0af0f5542459765a705db1e2e8b7d33d";

	/** A key with scope operate only. */
	String OPERATOR = "operator-key-0123456789abcdef";

	/** A key with scope read, limited to {@link #ZYLON_CONNECTION}. */
	String ZYLON_ONLY = "zylon-only-key-0123456789abcdef";

	/** A key with both scopes, limited to {@link #ZYLON_CONNECTION}. */
	String ZYLON_OPERATOR = "zylon-operator-key-0123456789abcdef";

	/** A key with scope read and a rate limit of 3 requests an hour. */
	String SLOW = "slow-key-0123456789abcdef";

	/** The Zylon connection {@link #ZYLON_ONLY} is limited to. */
	String ZYLON_CONNECTION = "zylon-support";

	/** A Flockx connection {@link #ZYLON_ONLY} does not see. */
	String FLOCKX_CONNECTION = "flockx-main";

	/** The one origin CORS allows. */
	String ALLOWED_ORIGIN = "https://dash.example.com";

}
