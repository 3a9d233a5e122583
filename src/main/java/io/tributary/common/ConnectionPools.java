package io.tributary.common;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * The gateway's connection pools besides the API's own: the same database and account
 * (whatever supplies them: {@code spring.datasource.*}, a service connection, the
 * embedded PostgreSQL), each with its own bound, so one kind of work cannot take
 * another's connections.
 */
public final class ConnectionPools {

	private ConnectionPools() {
	}

	/**
	 * @param details where the database is
	 * @param name the pool's name (its {@code pool} tag in the {@code hikaricp.*}
	 * metrics)
	 * @param size its connections
	 * @param connectionTimeout how long a caller waits for a free connection
	 * @param statementTimeout the longest any one statement on it may run, or null for
	 * the server's default
	 * @return the pool, not yet started (it starts on its first use)
	 */
	public static HikariDataSource of(JdbcConnectionDetails details, String name, int size, Duration connectionTimeout,
			@Nullable Duration statementTimeout) {
		HikariDataSource pool = DataSourceBuilder.create()
			.type(HikariDataSource.class)
			.driverClassName(details.getDriverClassName())
			.url(details.getJdbcUrl())
			.username(details.getUsername())
			.password(details.getPassword())
			.build();
		pool.setPoolName(name);
		pool.setMaximumPoolSize(size);
		pool.setConnectionTimeout(connectionTimeout.toMillis());
		if (statementTimeout != null) {
			pool.setConnectionInitSql(statementTimeout(statementTimeout));
		}
		return pool;
	}

	/**
	 * @param timeout the longest a statement may run
	 * @return the SQL that sets it for a session (PostgreSQL cancels a statement that
	 * runs longer, with SQLSTATE {@code 57014})
	 */
	public static String statementTimeout(Duration timeout) {
		return "SET statement_timeout = " + Math.max(1, timeout.toMillis());
	}

}
