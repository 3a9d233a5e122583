package io.tributary.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL started when {@code spring.datasource.url} is not set.
 *
 * @param dataDirectory where the database files live; kept across restarts
 * @param port TCP port on localhost; 0 picks a free one
 */
@ConfigurationProperties("tributary.embedded-postgres")
public record EmbeddedPostgresProperties(@DefaultValue(".tributary/postgres") Path dataDirectory,
		@DefaultValue("0") int port) {
}
