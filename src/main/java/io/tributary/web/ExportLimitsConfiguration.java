package io.tributary.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.interaction.ExportProperties;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link ExportLimits} on the exports, after the security filters (so a request
 * without a valid key, the right scope or rate-limit tokens takes no permit), and shows
 * how many run as {@code tributary.exports.running}.
 */
@Configuration(proxyBeanMethods = false)
class ExportLimitsConfiguration {

	@Bean
	FilterRegistrationBean<ExportLimits> exportLimits(ExportProperties properties, JsonMapper json,
			MeterRegistry meters) {
		ExportLimits limits = new ExportLimits(properties, json);
		Gauge.builder("tributary.exports.running", limits, ExportLimits::running)
			.description("Exports running now, of tributary.export.max-concurrent")
			.register(meters);
		FilterRegistrationBean<ExportLimits> registration = new FilterRegistrationBean<>(limits);
		registration.addUrlPatterns(ExportLimits.PATHS);
		return registration;
	}

}
