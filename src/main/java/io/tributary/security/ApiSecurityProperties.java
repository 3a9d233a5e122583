package io.tributary.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.security}: the API keys, the default rate limit and CORS.
 *
 * @param enabled false switches authentication off entirely (a warning is logged); with
 * it on, at least one key must be configured
 * @param apiKeys the keys
 * @param rateLimit the limit of every key that sets none itself
 * @param cors cross-origin access for browser dashboards
 */
@ConfigurationProperties("tributary.security")
public record ApiSecurityProperties(@DefaultValue("true") boolean enabled, List<ApiKey> apiKeys,
		@DefaultValue RateLimit rateLimit, @DefaultValue Cors cors) {

	public ApiSecurityProperties {
		apiKeys = (apiKeys != null) ? List.copyOf(apiKeys) : List.of();
	}

	/**
	 * One key.
	 *
	 * @param name shown in logs and run records instead of the key
	 * @param key the key itself (at least 16 characters), or
	 * @param keySha256 its SHA-256, hex, so the configuration need not hold the key
	 * @param scopes what it may do
	 * @param connections when not empty, the only connections it sees
	 * @param rateLimit its own limit, overriding the default
	 */
	public record ApiKey(String name, String key, String keySha256, Set<Scope> scopes, List<String> connections,
			KeyRateLimit rateLimit) {

		public ApiKey {
			scopes = (scopes != null) ? Set.copyOf(scopes) : Set.of();
			connections = (connections != null) ? List.copyOf(connections) : List.of();
		}

	}

	/**
	 * @param requests requests allowed per period (the bucket's capacity, refilled
	 * evenly)
	 * @param period the period
	 */
	public record RateLimit(@DefaultValue("100") int requests, @DefaultValue("PT1S") Duration period) {
	}

	/**
	 * A key's own limit; unset parts fall back to the default.
	 *
	 * @param requests requests per period
	 * @param period the period
	 */
	public record KeyRateLimit(Integer requests, Duration period) {
	}

	/**
	 * @param allowedOrigins origins allowed to call the API from a browser, such as
	 * {@code https://dash.example.com}; none by default
	 * @param maxAge how long a browser may cache a preflight answer
	 */
	public record Cors(List<String> allowedOrigins, @DefaultValue("PT30M") Duration maxAge) {

		public Cors {
			allowedOrigins = (allowedOrigins != null) ? List.copyOf(allowedOrigins) : List.of();
		}

	}

}
