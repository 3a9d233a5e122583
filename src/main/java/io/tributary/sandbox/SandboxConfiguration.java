package io.tributary.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * The sandbox's chaos filter, on the simulated upstreams' paths only, and the demo key's
 * instructions in the log once the demo is up (the demo key is documented; no other key
 * is ever logged).
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class SandboxConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SandboxConfiguration.class);

	/** The demo profile's key, as the README shows it. */
	private static final String DOCUMENTED_DEMO_KEY = "tributary-demo-key";

	@Bean
	FilterRegistrationBean<SandboxChaosFilter> sandboxChaosFilter(SandboxChaos chaos) {
		FilterRegistrationBean<SandboxChaosFilter> registration = new FilterRegistrationBean<>(
				new SandboxChaosFilter(chaos));
		registration.addUrlPatterns("/sandbox/*");
		return registration;
	}

	@EventListener
	void explainTheDemoKey(ApplicationReadyEvent ready) {
		Environment environment = ready.getApplicationContext().getEnvironment();
		String key = environment.getProperty("tributary.security.api-keys[0].key");
		String name = environment.getProperty("tributary.security.api-keys[0].name");
		if (!"demo".equals(name) || key == null) {
			return;
		}
		if (!DOCUMENTED_DEMO_KEY.equals(key)) {
			log.info("Demo API key 'demo' is set from TRIBUTARY_DEMO_API_KEY; send it as X-API-Key");
			return;
		}
		String port = environment.getProperty("local.server.port", "8080");
		log.info("Demo API key (scopes read and operate): {}. Try: curl -H 'X-API-Key: {}' "
				+ "'http://localhost:{}/api/v1/interactions?limit=5', or Swagger UI at http://localhost:{}/swagger-ui.html "
				+ "(Authorize, then paste the key)", key, key, port, port);
	}

}
