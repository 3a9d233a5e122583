package io.tributary.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.tributary.TestApiKeys;
import io.tributary.TestPostgresConfiguration;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The demo profile on a real port: the gateway and the simulated upstreams it serves, the
 * demo connections' calls sent to the port the server chose
 * ({@link SandboxTestSupport.ServerChosenPort}), no schedules. Three keys:
 * {@link #FULL_KEY} with both scopes (the one MockMvc sends, see {@link TestApiKeys}),
 * {@link #READER_KEY} with scope read, and the documented demo key. Test classes using
 * it, and replacing the clock as {@link SandboxTestSupport#CLOCK} says, share one Spring
 * context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"tributary.sync.scheduling-enabled=false",
		// health is read right after runs are changed
		"tributary.health.cache-ttl=0", "tributary.security.api-keys[0].name=sandbox",
		"tributary.security.api-keys[0].key=" + SandboxTest.FULL_KEY,
		"tributary.security.api-keys[0].scopes=read,operate", "tributary.security.api-keys[1].name=sandbox-reader",
		"tributary.security.api-keys[1].key=" + SandboxTest.READER_KEY, "tributary.security.api-keys[1].scopes=read",
		// the demo's own key as the README documents it, which the console offers
		"tributary.security.api-keys[2].name=demo", "tributary.security.api-keys[2].key=tributary-demo-key",
		"tributary.security.api-keys[2].scopes=read,operate" })
@ActiveProfiles("demo")
@AutoConfigureMockMvc
@Import({ TestPostgresConfiguration.class, TestApiKeys.class, SandboxTestSupport.ServerChosenPort.class })
@interface SandboxTest {

	/** A key with both scopes. */
	String FULL_KEY = "conformance-key-0123456789";

	/** A key with scope read. */
	String READER_KEY = "conformance-reader-0123456789";

}
