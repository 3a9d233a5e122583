package io.tributary.config;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.tributary.common.ConnectionPools;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's connection pool (the one Spring Boot configures from
 * {@code spring.datasource.*}, 10 connections by default): every statement on it is
 * bounded by {@code tributary.api.statement-timeout}. The sync and the exports have pools
 * of their own, so no request can take their connections, nor they the requests'.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
class ApiDatabase {

	/** The bean name Spring Boot gives the data source it configures. */
	static final String API_POOL = "dataSource";

	/**
	 * Sets the statement timeout on each new connection of the API's pool, after any
	 * {@code spring.datasource.hikari.connection-init-sql} of the operator's own, and
	 * names the pool {@code api} unless {@code spring.datasource.hikari.pool-name} does.
	 */
	@Bean
	static BeanPostProcessor apiStatementTimeout(ObjectProvider<ApiProperties> properties) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (API_POOL.equals(beanName) && bean instanceof HikariDataSource pool) {
					if (pool.getPoolName() == null) {
						// the pool tag of its hikaricp.* metrics, beside "export" and
						// "sync"
						pool.setPoolName("api");
					}
					String timeout = ConnectionPools.statementTimeout(properties.getObject().statementTimeout());
					String own = pool.getConnectionInitSql();
					pool.setConnectionInitSql((own == null || own.isBlank()) ? timeout : own + "; " + timeout);
				}
				return bean;
			}
		};
	}

	/**
	 * {@code db} in {@code /actuator/health} checks the API's pool only, as before the
	 * sync and the exports had pools of their own: a health probe never takes one of
	 * their connections.
	 */
	@Bean
	HealthContributor dbHealthContributor(DataSource dataSource) {
		return new DataSourceHealthIndicator(dataSource);
	}

}
