package io.tributary.web;

import io.tributary.interaction.ExportProperties;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link ExportLimits} on the exports, after the security filters (so a request
 * without a valid key, the right scope or rate-limit tokens takes no permit).
 */
@Configuration(proxyBeanMethods = false)
class ExportLimitsConfiguration {

	@Bean
	FilterRegistrationBean<ExportLimits> exportLimits(ExportProperties properties, JsonMapper json) {
		FilterRegistrationBean<ExportLimits> registration = new FilterRegistrationBean<>(
				new ExportLimits(properties, json));
		registration.addUrlPatterns(ExportLimits.PATHS);
		return registration;
	}

}
