package io.tributary.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo tells its user which key to send: the documented demo key, and nothing when
 * the key came from the environment.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoKeyLogTests {

	@Test
	void theDocumentedDemoKeyIsLoggedWithACurlExample(CapturedOutput output) {
		ready("tributary-demo-key");
		assertThat(output).contains("Demo API key (scopes read and operate): tributary-demo-key")
			.contains("curl -H 'X-API-Key: tributary-demo-key' 'http://localhost:18080/api/v1/interactions?limit=5'");
	}

	@Test
	void aDemoKeyFromTheEnvironmentIsNotLogged(CapturedOutput output) {
		ready("a-key-someone-chose-0001");
		assertThat(output).contains("set from TRIBUTARY_DEMO_API_KEY").doesNotContain("a-key-someone-chose-0001");
	}

	private static void ready(String key) {
		MockEnvironment environment = new MockEnvironment().withProperty("tributary.security.api-keys[0].name", "demo")
			.withProperty("tributary.security.api-keys[0].key", key)
			.withProperty("local.server.port", "18080");
		GenericApplicationContext context = new GenericApplicationContext();
		context.setEnvironment(environment);
		new SandboxConfiguration()
			.explainTheDemoKey(new ApplicationReadyEvent(new SpringApplication(), new String[0], context, null));
	}

}
