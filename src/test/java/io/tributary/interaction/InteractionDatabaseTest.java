package io.tributary.interaction;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;

import javax.sql.DataSource;

import io.tributary.TestPostgresConfiguration;
import io.tributary.common.ConnectionScope;
import io.tributary.common.SignedCursors;
import io.tributary.common.SyncDatabase;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The interaction table's writer and reads on real PostgreSQL (Flyway-migrated), without
 * the web layer, the connectors or the scheduler. Tests commit like the application does
 * (no rollback), so timestamps taken with {@code now()} differ between statements.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@ImportAutoConfiguration(JacksonAutoConfiguration.class)
@Import({ TestPostgresConfiguration.class, InteractionWriter.class, InteractionQuery.class, StoredInteractions.class,
		SignedCursors.class, InteractionDatabaseTest.Kinds.class })
@interface InteractionDatabaseTest {

	/** The kinds the test data uses, standing in for the registered connectors. */
	@TestConfiguration(proxyBeanMethods = false)
	class Kinds {

		static final Set<String> NAMES = Set.of("flockx", "greenflash", "zylon");

		@Bean
		SourceNames sourceNames() {
			return () -> new java.util.TreeSet<>(NAMES);
		}

		/**
		 * No connection is configured in this slice: answers say so with an empty
		 * freshness block (the sync package computes the real one).
		 */
		@Bean
		io.tributary.common.DataFreshness.Source dataFreshness() {
			return (sources, connection) -> new io.tributary.common.DataFreshness(false, java.util.List.of());
		}

		/** No caller here: every connection is visible. */
		@Bean
		ConnectionScope connectionScope() {
			return ConnectionScope.ALL;
		}

		/** The writer's pool: here the one data source of the slice. */
		@Bean(defaultCandidate = false)
		@SyncDatabase
		JdbcTemplate syncJdbcTemplate(DataSource dataSource) {
			return new JdbcTemplate(dataSource);
		}

		@Bean(defaultCandidate = false)
		@SyncDatabase
		JdbcClient syncJdbcClient(@SyncDatabase JdbcTemplate jdbc) {
			return JdbcClient.create(jdbc);
		}

	}

}
