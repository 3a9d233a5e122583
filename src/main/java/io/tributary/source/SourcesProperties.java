package io.tributary.source;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.tributary.interaction.SourceKind;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.sources.<name>}: the configured connections, each one account or
 * project of one source kind. Checked when the application starts: a connection that
 * cannot work stops the start with one message naming the connection and the field.
 *
 * @param sources connections by name (lowercase letters, digits and '-')
 */
@ConfigurationProperties("tributary")
public record SourcesProperties(Map<String, Connection> sources) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,49}");

	public SourcesProperties {
		sources = (sources != null) ? new LinkedHashMap<>(sources) : Map.of();
		sources.forEach(SourcesProperties::check);
	}

	private static void check(String name, Connection connection) {
		String prefix = "tributary.sources." + name + ".";
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Connection name '" + name
					+ "' is not allowed: use up to 50 lowercase letters, digits and '-' (tributary.sources." + name
					+ ")");
		}
		if (connection.type() == null) {
			throw new IllegalArgumentException(
					prefix + "type is required: one of greenflash, zylon, flockx (connection '" + name + "')");
		}
		if (connection.apiKey() == null || connection.apiKey().isBlank()) {
			throw new IllegalArgumentException(prefix + "api-key is required (connection '" + name + "')");
		}
		URI baseUrl = connection.effectiveBaseUrl();
		if (baseUrl == null) {
			throw new IllegalArgumentException(prefix + "base-url is required for type " + connection.type().apiValue()
					+ ", e.g. https://zylon.example.com/api/v1 (connection '" + name + "')");
		}
		if (!baseUrl.isAbsolute() || baseUrl.getHost() == null
				|| !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))) {
			throw new IllegalArgumentException(prefix + "base-url '" + baseUrl
					+ "' is not an http(s) URL with a host (connection '" + name + "')");
		}
		if (baseUrl.getRawUserInfo() != null) {
			throw new IllegalArgumentException(prefix
					+ "base-url must not carry credentials (user:password@): put the secret in api-key, which is never shown (connection '"
					+ name + "')");
		}
		positive(prefix + "poll-interval", connection.pollInterval(), name);
		positive(prefix + "full-sync-interval", connection.fullSyncInterval(), name);
		if (connection.pageSize() < 1 || connection.pageSize() > 100) {
			throw new IllegalArgumentException(
					prefix + "page-size must be 1..100, was " + connection.pageSize() + " (connection '" + name + "')");
		}
		if (connection.type() == SourceKind.ZYLON) {
			Zylon zylon = connection.zylon();
			if (zylon.org() == null || zylon.org().isBlank()) {
				throw new IllegalArgumentException(
						prefix + "zylon.org is required for type zylon: the x-org header (connection '" + name + "')");
			}
			if (zylon.projectIds().isEmpty() || zylon.projectIds().stream().anyMatch(String::isBlank)) {
				throw new IllegalArgumentException(prefix
						+ "zylon.project-ids needs one or more project ids for type zylon (connection '" + name + "')");
			}
		}
	}

	private static void positive(String field, Duration value, String name) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(
					field + " must be positive, was " + value + " (connection '" + name + "')");
		}
	}

	/**
	 * One connection.
	 *
	 * @param type the source kind
	 * @param baseUrl up to and including the version prefix; defaults to the vendor's
	 * public host where it has one
	 * @param apiKey the secret sent to the upstream; never logged, stored or returned
	 * @param enabled whether the connection is synced on schedule
	 * @param pollInterval period of incremental runs
	 * @param fullSyncInterval period of full reconciliation runs
	 * @param pageSize items asked per upstream page
	 * @param overlap how far behind the watermark an incremental run reads again
	 * @param connectTimeout TCP connect timeout for upstream calls
	 * @param readTimeout time allowed for an upstream response
	 * @param retry transient-failure retries
	 * @param greenflash settings for type greenflash
	 * @param zylon settings for type zylon
	 * @param flockx settings for type flockx
	 */
	public record Connection(SourceKind type, URI baseUrl, String apiKey, @DefaultValue("true") boolean enabled,
			@DefaultValue("PT5M") Duration pollInterval, @DefaultValue("PT24H") Duration fullSyncInterval,
			@DefaultValue("100") int pageSize, @DefaultValue("PT10M") Duration overlap,
			@DefaultValue("PT5S") Duration connectTimeout, @DefaultValue("PT30S") Duration readTimeout,
			@DefaultValue Retry retry, @DefaultValue Greenflash greenflash, @DefaultValue Zylon zylon,
			@DefaultValue Flockx flockx) {

		/**
		 * The configured base URL without a trailing slash, or the vendor's public one.
		 * @return the base URL, or null when the kind has no public host and none is
		 * configured
		 */
		public URI effectiveBaseUrl() {
			if (this.baseUrl != null) {
				String text = this.baseUrl.toString();
				return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
			}
			return switch (this.type) {
				case GREENFLASH -> URI.create("https://www.greenflash.ai/api/v1");
				case FLOCKX -> URI.create("https://api.flockx.io/api/v1");
				case ZYLON -> null;
			};
		}

		@Override
		public String toString() {
			return "Connection[type=" + this.type + ", baseUrl=" + this.baseUrl + ", apiKey=***]";
		}

	}

	/**
	 * Retries of transient upstream failures (connect or read timeout, 5xx, 408, 429).
	 *
	 * @param maxAttempts attempts per request, the first included
	 * @param initialBackoff wait before the first retry; doubled per attempt, with jitter
	 * @param maxBackoff longest wait between attempts, also the cap on a server's
	 * Retry-After
	 */
	public record Retry(@DefaultValue("5") int maxAttempts, @DefaultValue("PT0.5S") Duration initialBackoff,
			@DefaultValue("PT30S") Duration maxBackoff) {
	}

	/**
	 * @param productId only interactions of this product
	 * @param versionId only interactions of this product version
	 * @param fetchMessages call {@code GET /interactions/{id}} for new or changed items
	 * to get their messages
	 * @param fetchConcurrency how many of those calls run at once
	 */
	public record Greenflash(String productId, String versionId, @DefaultValue("true") boolean fetchMessages,
			@DefaultValue("4") int fetchConcurrency) {
	}

	/**
	 * @param org the {@code x-org} header: organization slug or UUID
	 * @param projectIds projects to read
	 * @param apiVariant {@code project} (project-level list), {@code threads} (threads,
	 * then each thread's interactions) or {@code auto} (project-level, falling back to
	 * threads on 404)
	 */
	public record Zylon(String org, @DefaultValue List<String> projectIds,
			@DefaultValue("auto") ZylonApiVariant apiVariant) {
	}

	/** Which Zylon list endpoints an instance has. */
	public enum ZylonApiVariant {

		PROJECT, THREADS, AUTO

	}

	/**
	 * @param authScheme {@code Authorization: <scheme> <key>}; empty sends the bare key
	 * @param agentId only this agent's interactions
	 * @param channelId only this channel's interactions
	 * @param includeIncomplete also read interactions still in progress (stored as
	 * in_progress, updated when they complete)
	 */
	public record Flockx(@DefaultValue("Token") String authScheme, String agentId, String channelId,
			@DefaultValue("true") boolean includeIncomplete) {
	}

}
