package io.tributary;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Tributary: pulls AI interactions from upstream APIs into one PostgreSQL model and
 * serves them.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TributaryApplication {

	public static void main(String[] args) {
		SpringApplication.run(TributaryApplication.class, args);
	}

}
