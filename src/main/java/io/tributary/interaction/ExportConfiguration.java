package io.tributary.interaction;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.tributary.common.ConnectionPools;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The exports' connection pool: one connection per export that may run at once
 * ({@code tributary.export.max-concurrent}), with a statement timeout per fetch of
 * {@code tributary.export.statement-timeout}. An export holds its connection for as long
 * as its client reads, so it must never hold one of the API's.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExportProperties.class)
class ExportConfiguration {

	/** The pool's bean name and qualifier. */
	static final String POOL = "exportDataSource";

	@Bean(defaultCandidate = false)
	@Qualifier(POOL)
	HikariDataSource exportDataSource(JdbcConnectionDetails details, ExportProperties export) {
		// an export holds a permit before it asks for a connection, so one is normally
		// free at once
		return ConnectionPools.of(details, "export", export.maxConcurrent(), Duration.ofSeconds(10),
				export.statementTimeout());
	}

}
