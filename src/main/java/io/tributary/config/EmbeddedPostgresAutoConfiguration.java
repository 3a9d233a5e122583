package io.tributary.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;

/**
 * Starts a real PostgreSQL from bundled binaries when no database is configured, so the
 * gateway runs on a bare machine with one command. Skipped as soon as
 * {@code spring.datasource.url} is set or another bean (a Testcontainers service
 * connection, say) already supplies the connection.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(EmbeddedPostgres.class)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
@ConditionalOnMissingBean(JdbcConnectionDetails.class)
@EnableConfigurationProperties(EmbeddedPostgresProperties.class)
public class EmbeddedPostgresAutoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresAutoConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties) throws IOException {
		var directory = properties.dataDirectory().toAbsolutePath();
		Files.createDirectories(directory);
		stopOrphan(directory);
		var postgres = EmbeddedPostgres.builder()
			.setDataDirectory(directory)
			.setCleanDataDirectory(false)
			.setPort(properties.port())
			.start();
		log.info("No spring.datasource.url set: started embedded PostgreSQL at {} with data in {}",
				postgres.getJdbcUrl("postgres", "postgres"), directory);
		return postgres;
	}

	/**
	 * A gateway killed with {@code kill -9} leaves its embedded PostgreSQL running,
	 * holding the data directory, and a restart would fail on {@code postmaster.pid}:
	 * that orphan is shut down first (its clients died with the gateway, so a smart
	 * shutdown ends at once; crash recovery covers the rest).
	 */
	private static void stopOrphan(Path directory) throws IOException {
		Path pidFile = directory.resolve("postmaster.pid");
		if (!Files.isReadable(pidFile)) {
			return;
		}
		List<String> lines = Files.readAllLines(pidFile);
		if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
			return;
		}
		Optional<ProcessHandle> orphan = ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
			.filter(ProcessHandle::isAlive)
			.filter((process) -> process.info().command().map((command) -> command.contains("postgres")).orElse(false));
		if (orphan.isEmpty()) {
			return;
		}
		log.warn("An embedded PostgreSQL (pid {}) left running by a gateway that did not stop cleanly holds {}; "
				+ "stopping it first", orphan.get().pid(), directory);
		orphan.get().destroy();
		try {
			orphan.get().onExit().get(30, TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			orphan.get().destroyForcibly();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			// it exited: nothing else to do
		}
	}

	@Bean
	JdbcConnectionDetails embeddedPostgresConnectionDetails(EmbeddedPostgres postgres) {
		return connectionDetails(postgres);
	}

	/**
	 * Connection details for a running embedded PostgreSQL (user and database
	 * {@code postgres}).
	 * @param postgres the running server
	 * @return details that point the data source at it
	 */
	public static JdbcConnectionDetails connectionDetails(EmbeddedPostgres postgres) {
		String url = postgres.getJdbcUrl("postgres", "postgres");
		return new JdbcConnectionDetails() {

			@Override
			public String getUsername() {
				return "postgres";
			}

			@Override
			public String getPassword() {
				return null;
			}

			@Override
			public String getJdbcUrl() {
				return url;
			}

		};
	}

}
