package io.tributary.interaction;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.export}: the exports' own bounded share of the gateway. Exports read
 * from a connection pool of their own, as large as the number that may run at once, so
 * however many run and however slowly their clients read, they never take a connection
 * the API's requests or the sync need.
 *
 * @param maxConcurrent exports that may run at once on this replica (the size of their
 * pool); one more answers 503 with {@code Retry-After}
 * @param perKey exports one API key may run at once; one more answers 429 with
 * {@code Retry-After}
 * @param idleTimeout an export whose client takes no part of it (a 16 KiB slice) for this
 * long is cut off: its transaction and database connection are released at once, and the
 * HTTP connection is closed without the end of the body, so the client cannot take the
 * part it has for the whole
 * @param statementTimeout the longest one fetch of the export's cursor may take on the
 * server (500 rows; the first fetch includes any sort): not the whole export, which lasts
 * as long as its client reads
 * @param retryAfter the {@code Retry-After} of an export refused for being one too many
 */
@ConfigurationProperties("tributary.export")
public record ExportProperties(@DefaultValue("4") int maxConcurrent, @DefaultValue("2") int perKey,
		@DefaultValue("60s") Duration idleTimeout, @DefaultValue("60s") Duration statementTimeout,
		@DefaultValue("30s") Duration retryAfter) {

	public ExportProperties {
		if (maxConcurrent < 1 || maxConcurrent > 100) {
			throw new IllegalArgumentException(
					"tributary.export.max-concurrent must be between 1 and 100, was " + maxConcurrent);
		}
		if (perKey < 1 || perKey > maxConcurrent) {
			throw new IllegalArgumentException("tributary.export.per-key must be between 1 and max-concurrent ("
					+ maxConcurrent + "), was " + perKey);
		}
		if (idleTimeout.toMillis() < 100) {
			throw new IllegalArgumentException(
					"tributary.export.idle-timeout must be at least 100ms, was " + idleTimeout);
		}
		if (statementTimeout.toMillis() < 1) {
			throw new IllegalArgumentException(
					"tributary.export.statement-timeout must be positive, was " + statementTimeout);
		}
		if (retryAfter.toSeconds() < 1) {
			throw new IllegalArgumentException("tributary.export.retry-after must be at least 1s, was " + retryAfter);
		}
	}

}
