package io.tributary;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * Tributary: pulls AI interactions from upstream APIs into one PostgreSQL model and
 * serves them. Callers are API keys, never users with passwords: Spring Boot's generated
 * user is switched off.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class TributaryApplication {

	public static void main(String[] args) {
		SpringApplication.run(TributaryApplication.class, args);
	}

}
