package io.tributary.sync;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.tributary.common.ConnectionPools;
import io.tributary.common.SyncDatabase;
import io.tributary.interaction.StoredInteractions;
import io.tributary.source.Connections;
import io.tributary.source.SourcesProperties;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Threads, database capacity and locks for sync runs: one thread per connection (plus
 * one), so a slow or broken upstream never delays another; a connection pool of the
 * sync's own ({@link SyncDatabase}), so readers never take what a run commits with; and
 * ShedLock on the database clock. The status API and health read the sync's tables
 * through the API's pool instead ({@link #API}).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({ SyncProperties.class, RetentionProperties.class, HealthProperties.class,
		SyncPoolProperties.class })
class SyncConfiguration {

	/**
	 * Qualifies the stores the status API and health read through: on the API's pool,
	 * with its statement timeout, never on the sync's.
	 */
	static final String API = "apiReads";

	@Bean
	ThreadPoolTaskScheduler syncTaskScheduler(Connections connections) {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(threads(connections.all().size()));
		scheduler.setThreadNamePrefix("sync-");
		return scheduler;
	}

	private static int threads(int connections) {
		return Math.max(2, connections + 1);
	}

	/**
	 * The sync's own pool: every write of a run (pages, run records, streams, rejects,
	 * deletions), its locks, retention and the sync's reads. Flyway migrates on it too,
	 * so a long migration is not cut by the API's statement timeout.
	 */
	@Bean(defaultCandidate = false)
	@SyncDatabase
	@FlywayDataSource
	HikariDataSource syncDataSource(JdbcConnectionDetails details, SyncPoolProperties pool, SourcesProperties sources) {
		return ConnectionPools.of(details, "sync", pool.sizeFor(threads(sources.sources().size())),
				pool.connectionTimeout(), null);
	}

	@Bean(defaultCandidate = false)
	@SyncDatabase
	JdbcTemplate syncJdbcTemplate(@SyncDatabase DataSource dataSource) {
		return new JdbcTemplate(dataSource);
	}

	@Bean(defaultCandidate = false)
	@SyncDatabase
	JdbcClient syncJdbcClient(@SyncDatabase JdbcTemplate jdbc) {
		return JdbcClient.create(jdbc);
	}

	/**
	 * Transactions of sync writes, on the JDBC connection itself: the writes are plain
	 * SQL, and savepoints let a page PostgreSQL refuses be stored item by item.
	 */
	@Bean
	TransactionTemplate syncTransactions(@SyncDatabase DataSource dataSource) {
		return new TransactionTemplate(new JdbcTransactionManager(dataSource));
	}

	/** Runs as the status API and health read them: on the API's pool. */
	@Bean(defaultCandidate = false)
	@Qualifier(API)
	SyncRunStore apiRunStore(JdbcClient jdbc) {
		return new SyncRunStore(jdbc);
	}

	/** Full passes as the status API and health read them: on the API's pool. */
	@Bean(defaultCandidate = false)
	@Qualifier(API)
	FullPasses apiFullPasses(@Qualifier(API) SyncRunStore runs, SyncProperties properties) {
		return new FullPasses(runs, properties);
	}

	/** Rejects as the status API lists them: on the API's pool. */
	@Bean(defaultCandidate = false)
	@Qualifier(API)
	RejectStore apiRejectStore(JdbcClient jdbc, JsonMapper json) {
		return new RejectStore(jdbc, json);
	}

	/** Stored counts as the status API shows them: on the API's pool. */
	@Bean(defaultCandidate = false)
	@Qualifier(API)
	StoredInteractions apiStoredInteractions(JdbcClient jdbc) {
		return new StoredInteractions(jdbc);
	}

	/**
	 * The connections' locks: short leases on the database clock, renewed every half
	 * lease while the run that holds one is alive, and released when it ends.
	 */
	@Bean
	LockProvider syncLocks(@SyncDatabase DataSource dataSource, ScheduledExecutorService syncLockRenewal) {
		return new KeepAliveLockProvider(new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.usingDbTime()
			.build()), syncLockRenewal);
	}

	/**
	 * {@code connections} in {@code /actuator/health}: one indicator per connection.
	 */
	@Bean
	CompositeHealthContributor connectionsHealthContributor(Connections connections, Freshness freshness,
			@Qualifier(API) FullPasses passes, HealthProperties health) {
		return ConnectionHealth.all(connections, freshness, passes, health.cacheTtl());
	}

	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService syncLockRenewal() {
		return Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "sync-lock-renewal");
			thread.setDaemon(true);
			return thread;
		});
	}

}
