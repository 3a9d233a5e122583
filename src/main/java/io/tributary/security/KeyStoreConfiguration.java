package io.tributary.security;

import java.time.Clock;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.common.ConnectionPools;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Connections;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the keys keep in PostgreSQL, where there is one (not in web slice tests) and
 * security is on: the stored keys, read on the API's pool, and the per-key rate-limit
 * buckets shared by every replica, on a pool of their own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "tributary.security.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ StoredKeysProperties.class, SharedRateLimitProperties.class })
class KeyStoreConfiguration {

	static final String RATE_LIMIT_POOL = "rateLimitDataSource";

	@Bean
	StoredKeys storedKeys(JdbcClient jdbc, DataSource dataSource, StoredKeysProperties properties,
			ApiSecurityProperties security, ApiKeys keys, Connections connections, ObjectProvider<Clock> clock,
			ObjectProvider<MeterRegistry> meters) {
		StoredKeys stored = new StoredKeys(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
				properties, security, keys,
				connections.all().stream().map(ConfiguredConnection::name).collect(Collectors.toSet()),
				clock.getIfAvailable(Clock::systemUTC));
		meters.ifAvailable(stored::registerMetrics);
		return stored;
	}

	/**
	 * The limiter's pool: small, quick to give up, its statements bounded, so a slow
	 * database costs a request at most these bounds before it falls back.
	 */
	@Bean(name = RATE_LIMIT_POOL, defaultCandidate = false)
	@ConditionalOnBooleanProperty(name = "tributary.security.shared-rate-limit.enabled", matchIfMissing = true)
	HikariDataSource rateLimitDataSource(JdbcConnectionDetails details, SharedRateLimitProperties properties) {
		HikariDataSource pool = ConnectionPools.of(details, "rate-limit", properties.poolSize(),
				properties.connectionTimeout(), properties.statementTimeout());
		pool.setMinimumIdle(1);
		return pool;
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "tributary.security.shared-rate-limit.enabled", matchIfMissing = true)
	SharedKeyBuckets sharedKeyBuckets(@Qualifier(RATE_LIMIT_POOL) HikariDataSource pool,
			SharedRateLimitProperties properties, ObjectProvider<MeterRegistry> meters) {
		return new SharedKeyBuckets(pool, properties.retryDatabaseAfter(),
				meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
	}

	@Bean
	KeyMaintenance keyMaintenance(StoredKeys stored, ObjectProvider<SharedKeyBuckets> buckets,
			StoredKeysProperties properties) {
		return new KeyMaintenance(stored, buckets.getIfAvailable(), properties.refreshInterval());
	}

}
