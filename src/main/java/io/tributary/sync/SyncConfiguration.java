package io.tributary.sync;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import javax.sql.DataSource;

import io.tributary.source.Connections;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Threads and locks for sync runs: one thread per connection (plus one), so a slow or
 * broken upstream never delays another, and ShedLock on the database clock.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({ SyncProperties.class, RetentionProperties.class, HealthProperties.class })
class SyncConfiguration {

	@Bean
	ThreadPoolTaskScheduler syncTaskScheduler(Connections connections) {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(Math.max(2, connections.all().size() + 1));
		scheduler.setThreadNamePrefix("sync-");
		return scheduler;
	}

	/**
	 * Transactions of sync writes, on the JDBC connection itself: the writes are plain
	 * SQL, and savepoints let a page PostgreSQL refuses be stored item by item.
	 */
	@Bean
	TransactionTemplate syncTransactions(DataSource dataSource) {
		return new TransactionTemplate(new JdbcTransactionManager(dataSource));
	}

	/**
	 * The connections' locks: short leases on the database clock, renewed every half
	 * lease while the run that holds one is alive, and released when it ends.
	 */
	@Bean
	LockProvider syncLocks(DataSource dataSource, ScheduledExecutorService syncLockRenewal) {
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
			FullPasses passes, HealthProperties health) {
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
