package io.tributary.web;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.DispatcherType;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Wires the strict parameter check and the parameter converters into Spring MVC for our
 * API, and makes the answers given outside Spring MVC problem documents too: Tomcat's own
 * (its error report valve) and Actuator's empty error answers.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new StrictParametersInterceptor()).addPathPatterns("/api/**");
	}

	/**
	 * Generated clients send {@code Accept: application/problem+json} (alone or first)
	 * when the document lists it among an operation's answers; such a client gets the
	 * documented JSON body, never a 406.
	 */
	@Override
	public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
		configurer.strategies(List.of(new ProblemJsonAcceptsJson(new HeaderContentNegotiationStrategy())));
	}

	/**
	 * Puts {@link RecordParameters} before Spring's own handling of
	 * {@code @ModelAttribute} parameters.
	 */
	@Bean
	static BeanPostProcessor recordParameters() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getArgumentResolvers() != null) {
					List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>(adapter.getArgumentResolvers());
					resolvers.add(0, new RecordParameters());
					adapter.setArgumentResolvers(resolvers);
				}
				return bean;
			}
		};
	}

	/**
	 * Answers written as JSON already ({@link io.tributary.common.JsonBody}) go out as
	 * they are.
	 */
	@Override
	public void configureMessageConverters(
			org.springframework.http.converter.HttpMessageConverters.ServerBuilder builder) {
		builder.addCustomConverter(new JsonBodyConverter());
	}

	@Override
	public void addFormatters(FormatterRegistry registry) {
		registry.addConverter(new ParameterConverters.StringToInstant());
		registry.addConverterFactory(new ParameterConverters.StringToApiValue());
	}

	/**
	 * Puts {@link ProblemReportValve} on the host in place of Tomcat's HTML error report,
	 * and of the one Boot adds to hide stack traces.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve(JsonMapper json) {
		return (factory) -> factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.getPipeline().addValve(new ProblemReportValve(json));
				host.setErrorReportValveClass(ProblemReportValve.class.getName());
				context.addLifecycleListener((event) -> {
					if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
						for (Valve valve : host.getPipeline().getValves()) {
							if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
								host.getPipeline().removeValve(valve);
							}
						}
					}
				});
			}
		});
	}

	@Bean
	FilterRegistrationBean<AbortCutShortAnswers> abortCutShortAnswers() {
		FilterRegistrationBean<AbortCutShortAnswers> registration = new FilterRegistrationBean<>(
				new AbortCutShortAnswers());
		registration.addUrlPatterns("/api/*");
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<EmptyErrorBodyFilter> emptyErrorBodyFilter(JsonMapper json,
			@Value("${management.endpoints.web.base-path:/actuator}") String actuatorPath) {
		FilterRegistrationBean<EmptyErrorBodyFilter> registration = new FilterRegistrationBean<>(
				new EmptyErrorBodyFilter(json));
		registration.addUrlPatterns(actuatorPath + "/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<HealthPathFilter> healthPathFilter(ObjectProvider<HealthContributorRegistry> contributors,
			ObjectProvider<HealthEndpointGroups> groups, JsonMapper json,
			@Value("${management.endpoints.web.base-path:/actuator}") String actuatorPath) {
		FilterRegistrationBean<HealthPathFilter> registration = new FilterRegistrationBean<>(
				new HealthPathFilter(actuatorPath + "/health/", contributors, groups, json));
		registration.addUrlPatterns(actuatorPath + "/health/*");
		return registration;
	}

}
