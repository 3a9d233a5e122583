package io.tributary.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.api}: bounds of what one API request may cost the database (the cursor
 * secret is read apart, by the cursor codec).
 *
 * @param statementTimeout the longest any one statement of an API request may run (lists,
 * details, totals, stats, threads, participants, sources, sync runs); PostgreSQL cancels
 * it after that and the request answers 503 with {@code Retry-After}. Exports have their
 * own bound per fetch ({@code tributary.export.statement-timeout}), the sync none.
 * @param retryAfter the {@code Retry-After} of a request the database could not serve in
 * time: a statement over the timeout, or no free connection in the API's pool
 */
@ConfigurationProperties("tributary.api")
public record ApiProperties(@DefaultValue("15s") Duration statementTimeout, @DefaultValue("5s") Duration retryAfter) {

	public ApiProperties {
		if (statementTimeout.isNegative() || statementTimeout.isZero()) {
			throw new IllegalArgumentException(
					"tributary.api.statement-timeout must be positive, was " + statementTimeout);
		}
		if (retryAfter.toSeconds() < 1) {
			throw new IllegalArgumentException("tributary.api.retry-after must be at least 1s, was " + retryAfter);
		}
	}

	/**
	 * @return the defaults, for a context that binds no configuration (a web slice)
	 */
	public static ApiProperties defaults() {
		return new ApiProperties(Duration.ofSeconds(15), Duration.ofSeconds(5));
	}

}
