package io.tributary;

import org.springframework.boot.SpringApplication;

/**
 * Runs the gateway against the test PostgreSQL (Testcontainers or a throw-away embedded
 * one), for development from an IDE.
 */
public class TestTributaryApplication {

	public static void main(String[] args) {
		SpringApplication.from(TributaryApplication::main).with(TestPostgresConfiguration.class).run(args);
	}

}
