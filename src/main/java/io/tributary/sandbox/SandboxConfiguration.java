package io.tributary.sandbox;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The sandbox's chaos filter, on the simulated upstreams' paths only.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class SandboxConfiguration {

	@Bean
	FilterRegistrationBean<SandboxChaosFilter> sandboxChaosFilter(SandboxChaos chaos) {
		FilterRegistrationBean<SandboxChaosFilter> registration = new FilterRegistrationBean<>(
				new SandboxChaosFilter(chaos));
		registration.addUrlPatterns("/sandbox/*");
		return registration;
	}

}
