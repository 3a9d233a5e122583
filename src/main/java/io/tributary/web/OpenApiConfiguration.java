package io.tributary.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's header; the operations describe themselves.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI tributaryOpenApi() {
		return new OpenAPI().info(new Info().title("Tributary")
			.contact(new Contact().name("Tributary maintainers"))
			.version("v1")
			.description("One API over the AI interactions logged in Greenflash, Zylon and Flockx. "
					+ "Errors are RFC 9457 problem documents that name the offending parameter."));
	}

}
