package io.tributary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import io.tributary.config.EmbeddedPostgresAutoConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The one place tests (and {@link TestTributaryApplication}) get PostgreSQL from: a
 * Testcontainers {@code postgres:17} when a Docker engine is reachable, otherwise one
 * embedded PostgreSQL 17 per JVM in a throw-away directory, shared by every Spring
 * context of the run.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestPostgresConfiguration {

	@Bean
	@ServiceConnection
	@Conditional(DockerAvailable.class)
	PostgreSQLContainer postgresContainer() {
		return new PostgreSQLContainer("postgres:17");
	}

	@Bean
	@Conditional(DockerUnavailable.class)
	JdbcConnectionDetails embeddedPostgresConnectionDetails() {
		return EmbeddedPostgresAutoConfiguration.connectionDetails(SharedEmbeddedPostgres.INSTANCE);
	}

	/**
	 * One server for the whole test JVM: starting PostgreSQL per context would dominate
	 * the test time.
	 */
	private static final class SharedEmbeddedPostgres {

		static final EmbeddedPostgres INSTANCE = start();

		private static EmbeddedPostgres start() {
			try {
				EmbeddedPostgres postgres = EmbeddedPostgres.builder()
					.setDataDirectory(Files.createTempDirectory("tributary-test-pg"))
					.setCleanDataDirectory(true)
					.setServerConfig("fsync", "off")
					.setServerConfig("synchronous_commit", "off")
					.setServerConfig("full_page_writes", "off")
					.start();
				Runtime.getRuntime().addShutdownHook(new Thread(() -> {
					try {
						postgres.close();
					}
					catch (IOException ex) {
						// the JVM is going away; nothing left to clean up for
					}
				}));
				return postgres;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start embedded PostgreSQL for tests", ex);
			}
		}

	}

	static final class DockerAvailable implements Condition {

		private static final boolean AVAILABLE = detect();

		private static boolean detect() {
			try {
				return DockerClientFactory.instance().isDockerAvailable();
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return AVAILABLE;
		}

	}

	static final class DockerUnavailable implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !DockerAvailable.AVAILABLE;
		}

	}

}
