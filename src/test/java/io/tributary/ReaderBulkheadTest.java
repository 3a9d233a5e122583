package io.tributary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.tributary.sync.SyncRuns;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The whole application on a real port with small bulkheads, for slow and heavy readers
 * over real sockets: an API pool of {@value #API_POOL} connections (a request waits 2 s
 * for one), at most {@value #EXPORTS} exports at once and {@value #PER_KEY} per key
 * (refusals say {@code Retry-After: 7}), exports cut off after {@value #IDLE_SECONDS} s
 * without progress, statement timeouts of 1 s for API reads and for each fetch of an
 * export, and Tomcat's socket send buffer at 4 KiB, so a client that reads slowly holds
 * the server's writer at once. Three keys with both scopes and no practical rate limit.
 * Test classes using it share one context; no schedules.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"tributary.sync.scheduling-enabled=false",
		"spring.datasource.hikari.maximum-pool-size=" + ReaderBulkheadTest.API_POOL,
		"spring.datasource.hikari.connection-timeout=2000", "tributary.api.statement-timeout=1s",
		"tributary.export.max-concurrent=" + ReaderBulkheadTest.EXPORTS,
		"tributary.export.per-key=" + ReaderBulkheadTest.PER_KEY,
		"tributary.export.idle-timeout=" + ReaderBulkheadTest.IDLE_SECONDS + "s",
		"tributary.export.statement-timeout=1s", "tributary.export.retry-after=7s",
		"tributary.security.api-keys[0].name=alice", "tributary.security.api-keys[0].key=" + ReaderBulkheadTest.ALICE,
		"tributary.security.api-keys[0].scopes=read,operate",
		"tributary.security.api-keys[0].rate-limit.requests=1000000", "tributary.security.api-keys[1].name=bob",
		"tributary.security.api-keys[1].key=" + ReaderBulkheadTest.BOB,
		"tributary.security.api-keys[1].scopes=read,operate",
		"tributary.security.api-keys[1].rate-limit.requests=1000000", "tributary.security.api-keys[2].name=carol",
		"tributary.security.api-keys[2].key=" + ReaderBulkheadTest.CAROL,
		"tributary.security.api-keys[2].scopes=read,operate",
		"tributary.security.api-keys[2].rate-limit.requests=1000000" })
@Import({ TestPostgresConfiguration.class, SyncRuns.class, ReaderBulkheadTest.SmallSocketBuffers.class })
public @interface ReaderBulkheadTest {

	/** Connections of the API's pool. */
	int API_POOL = 3;

	/** Exports at once. */
	int EXPORTS = 3;

	/** Exports at once per key. */
	int PER_KEY = 2;

	/** Seconds without progress after which an export is cut off. */
	int IDLE_SECONDS = 3;

	/** A key. */
	String ALICE = "alice-key-0123456789abcdef";

	/** Another key. */
	String BOB = "bob-key-0123456789abcdef";

	/** A third key. */
	String CAROL = "carol-key-0123456789abcdef";

	/**
	 * A 4 KiB socket send buffer: what the client does not read fills it in a moment, so
	 * the writer blocks as it would behind a slow link.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	class SmallSocketBuffers {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSocketSendBuffer() {
			return (factory) -> factory
				.addConnectorCustomizers((connector) -> connector.setProperty("socket.txBufSize", "4096"));
		}

	}

}
