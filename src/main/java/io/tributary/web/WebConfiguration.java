package io.tributary.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Wires the strict parameter check and the parameter converters into Spring MVC for our
 * API.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new StrictParametersInterceptor()).addPathPatterns("/api/**");
	}

	@Override
	public void addFormatters(FormatterRegistry registry) {
		registry.addConverter(new ParameterConverters.StringToInstant());
		registry.addConverterFactory(new ParameterConverters.StringToApiValue());
	}

}
