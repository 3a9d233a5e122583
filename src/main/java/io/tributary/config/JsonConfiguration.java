package io.tributary.config;

import io.tributary.common.JsonLimits;

import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's JSON mapper (API answers, stored {@code raw} read back) reads and
 * writes as deep as the gateway stores: see {@link JsonLimits}.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

	@Bean
	JsonFactoryBuilderCustomizer nestingDepth() {
		return (factory) -> factory.streamReadConstraints(JsonLimits.readConstraints())
			.streamWriteConstraints(JsonLimits.writeConstraints());
	}

}
