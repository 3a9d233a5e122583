package io.tributary.source;

import java.net.URI;

import io.tributary.hygiene.PersonalData;
import org.jspecify.annotations.Nullable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code tributary.sources.<name>}: the configured connections, each one account or
 * project of one source kind. Checked when the application starts: a connection that
 * cannot work stops the start with one message naming the connection and the field.
 *
 * @param sources connections by name (lowercase letters, digits and '-')
 * @param personalData what every connection shares of the personal-data rules
 * ({@code tributary.personal-data})
 */
@ConfigurationProperties("tributary")
public record SourcesProperties(Map<String, Connection> sources, @DefaultValue GlobalPersonalData personalData) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,49}");

	private static final DataSize MIN_BODY_SIZE = DataSize.ofKilobytes(64);

	private static final DataSize MAX_BODY_SIZE = DataSize.ofMegabytes(512);

	public SourcesProperties {
		sources = (sources != null) ? new LinkedHashMap<>(sources) : Map.of();
		personalData = (personalData != null) ? personalData : new GlobalPersonalData(null);
		sources.forEach(SourcesProperties::check);
		if (personalData.hashKey() != null && !personalData.hashKey().isBlank()
				&& personalData.hashKey().length() < PersonalData.MIN_KEY_LENGTH) {
			throw new IllegalArgumentException(
					"tributary.personal-data.hash-key must be at least " + PersonalData.MIN_KEY_LENGTH + " characters");
		}
	}

	private static void check(String name, Connection connection) {
		String prefix = "tributary.sources." + name + ".";
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Connection name '" + name
					+ "' is not allowed: use up to 50 lowercase letters, digits and '-' (tributary.sources." + name
					+ ")");
		}
		if (connection.apiKey() == null || connection.apiKey().isBlank()) {
			throw new IllegalArgumentException(prefix + "api-key is required (connection '" + name + "')");
		}
		if (connection.participantExternalId() != null
				&& !connection.participantExternalId().matches("[A-Za-z0-9_$@-]+(\\.[A-Za-z0-9_$@-]+)*")) {
			throw new IllegalArgumentException(prefix + "participant-external-id must be a dotted field path such as "
					+ "created_by.email, was '" + connection.participantExternalId() + "' (connection '" + name + "')");
		}
		positive(prefix + "poll-interval", connection.pollInterval(), name);
		positive(prefix + "full-sync-interval", connection.fullSyncInterval(), name);
		positive(prefix + "call-timeout", connection.callTimeout(), name);
		positive(prefix + "run-timeout", connection.runTimeout(), name);
		long bodySize = connection.maxBodySize().toBytes();
		if (bodySize < MIN_BODY_SIZE.toBytes() || bodySize > MAX_BODY_SIZE.toBytes()) {
			throw new IllegalArgumentException(prefix + "max-body-size must be 64KB..512MB, was " + bodySize
					+ " bytes (connection '" + name + "')");
		}
		if (connection.maxBodyTokens() < 1000 || connection.maxBodyTokens() > 100_000_000) {
			throw new IllegalArgumentException(prefix + "max-body-tokens must be 1000..100000000, was "
					+ connection.maxBodyTokens() + " (connection '" + name + "')");
		}
		if (connection.pageSize() < 1 || connection.pageSize() > 100) {
			throw new IllegalArgumentException(
					prefix + "page-size must be 1..100, was " + connection.pageSize() + " (connection '" + name + "')");
		}
	}

	private static void positive(String field, Duration value, String name) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(
					field + " must be positive, was " + value + " (connection '" + name + "')");
		}
	}

	/**
	 * One connection: the settings every kind shares. A kind's own settings live under
	 * {@code tributary.sources.<name>.<kind>} and are bound by its connector (see
	 * {@link SourceConnector#settings}); {@link Connections} checks the kind and the base
	 * URL against the registered connectors.
	 *
	 * @param type the source kind
	 * @param baseUrl up to and including the version prefix; defaults to the vendor's
	 * public host where it has one (after start-up, always the effective URL)
	 * @param apiKey the secret sent to the upstream; never logged, stored or returned
	 * @param enabled whether the connection is synced on schedule
	 * @param pollInterval period of incremental runs
	 * @param fullSyncInterval period of full reconciliation runs
	 * @param pageSize items asked per upstream page
	 * @param overlap how far behind the watermark an incremental run reads again
	 * @param connectTimeout TCP connect timeout for upstream calls
	 * @param readTimeout time allowed for an upstream response
	 * @param retry transient-failure retries
	 * @param callTimeout the most one upstream call may take, its whole answer read (each
	 * attempt; a call that takes longer is retried like a timeout)
	 * @param runTimeout the most one run may take; a run past it fails after its current
	 * page, and the next full run resumes from its committed pages
	 * @param recheckOpenFor how long items stored as in progress are re-read, by their
	 * own detail calls (at most 100 per run, oldest first, for kinds that can), by every
	 * incremental run, until they complete
	 * @param personalData what is done with the personal fields of the items read
	 * @param participantExternalId a dotted path to a field of the upstream item (as
	 * received, after the personal-data rule) that holds the customer's own id of the
	 * participant, such as {@code created_by.email} or {@code participant.user_id}: where
	 * the item has a value there (a string or a number; where a name meets an array, the
	 * first element that has one), it becomes {@code externalParticipantId}, so people
	 * are found across sources; null keeps what the kind maps
	 * @param timeZone the zone of the upstream's times that name none (such as
	 * {@code 2026-11-20T10:00:00}, which a self-hosted upstream may write in its server's
	 * local time): a region id ({@code Europe/Berlin}) or an offset ({@code +01:00}); UTC
	 * by default. Such rows are flagged in their attributes
	 * ({@code timestampsWithoutZone}) whatever the zone
	 * @param maxBodySize the largest upstream answer read (64KB..512MB; 16MB by default,
	 * below what fits a 256 MB heap several times over): a larger one fails its page with
	 * an error naming this limit, before it is held whole
	 * @param maxBodyTokens the most JSON tokens (values, names, brackets) one upstream
	 * answer may hold (1000..100000000; 500000 by default): bounds the tree built from
	 * it, which for tiny values ({@code [[],[],…]}) is far larger than the body
	 */
	public record Connection(SourceKind type, URI baseUrl, String apiKey, @DefaultValue("true") boolean enabled,
			@DefaultValue("PT5M") Duration pollInterval, @DefaultValue("PT24H") Duration fullSyncInterval,
			@DefaultValue("100") int pageSize, @DefaultValue("PT10M") Duration overlap,
			@DefaultValue("PT5S") Duration connectTimeout, @DefaultValue("PT30S") Duration readTimeout,
			@DefaultValue Retry retry, @DefaultValue("PT2M") Duration callTimeout,
			@DefaultValue("PT6H") Duration runTimeout, @DefaultValue("PT24H") Duration recheckOpenFor,
			@DefaultValue PersonalDataSettings personalData, @Nullable String participantExternalId,
			@DefaultValue("UTC") ZoneId timeZone, @DefaultValue("16MB") DataSize maxBodySize,
			@DefaultValue("500000") long maxBodyTokens) {

		public Connection {
			timeZone = (timeZone != null) ? timeZone : ZoneOffset.UTC;
			maxBodySize = (maxBodySize != null) ? maxBodySize : DataSize.ofMegabytes(16);
		}

		/**
		 * @param effective the base URL to use
		 * @return this connection reading {@code effective}, without a trailing slash
		 */
		Connection withBaseUrl(URI effective) {
			String text = effective.toString();
			URI trimmed = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
			return new Connection(this.type, trimmed, this.apiKey, this.enabled, this.pollInterval,
					this.fullSyncInterval, this.pageSize, this.overlap, this.connectTimeout, this.readTimeout,
					this.retry, this.callTimeout, this.runTimeout, this.recheckOpenFor, this.personalData,
					this.participantExternalId, this.timeZone, this.maxBodySize, this.maxBodyTokens);
		}

		/**
		 * @return what must never be stored, logged or returned for this connection: the
		 * key, and the values of the base URL's query (a token some upstreams take there)
		 */
		public List<String> secrets() {
			List<String> secrets = new ArrayList<>();
			secrets.add(this.apiKey);
			String query = (this.baseUrl != null) ? this.baseUrl.getRawQuery() : null;
			if (query != null) {
				for (String parameter : query.split("&")) {
					String value = parameter.substring(parameter.indexOf('=') + 1);
					secrets.add(value);
					try {
						secrets.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
					}
					catch (IllegalArgumentException ex) {
						// a broken escape: the raw value is all there is
					}
				}
			}
			return secrets;
		}

		/**
		 * @return the base URL as the status API and messages show it: scheme, host, port
		 * and path, without user info, query or fragment (which may carry credentials)
		 */
		public String shownBaseUrl() {
			return shown(this.baseUrl);
		}

		@Override
		public String toString() {
			return "Connection[type=" + this.type + ", baseUrl=" + shownBaseUrl() + ", apiKey=***]";
		}

	}

	/**
	 * @param url a URL from the configuration
	 * @return it without user info, query and fragment; null for null
	 */
	static String shown(URI url) {
		if (url == null) {
			return null;
		}
		if (url.getScheme() == null || url.getHost() == null) {
			// not a usable URL (a start-up error names it): what may follow '@', '?' or
			// '#'
			String text = url.toString().replaceAll("[?#].*", "");
			return text.substring(text.lastIndexOf('@') + 1);
		}
		return url.getScheme() + "://" + url.getHost() + ((url.getPort() != -1) ? ":" + url.getPort() : "")
				+ ((url.getRawPath() != null) ? url.getRawPath() : "");

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
	 * {@code tributary.sources.<name>.personal-data}: what is done with the personal
	 * fields of a connection's items before anything is stored (see
	 * {@link PersonalData}). Checked at start-up against the connection's kind.
	 *
	 * @param mode {@code keep} (store as received), {@code remove} (take the fields out)
	 * or {@code hash} (replace each value by {@code hmac-sha256:<hex>} under
	 * {@code hash-key}, so one person's items still group together)
	 * @param hashKey the HMAC key for mode hash, at least 32 characters; defaults to
	 * {@code tributary.personal-data.hash-key}; never logged, stored or returned
	 * @param defaultFields whether the kind's known personal fields (e-mail, name, …) are
	 * included
	 * @param fields more field paths: names separated by {@code .}, {@code [*]} for array
	 * elements, {@code *} for any name, {@code **} for any depth
	 * ({@code messages[*].author.email}, {@code **.email})
	 */
	public record PersonalDataSettings(@DefaultValue("keep") PersonalData.Mode mode, String hashKey,
			@DefaultValue("true") boolean defaultFields, @DefaultValue List<String> fields) {

		@Override
		public String toString() {
			return "PersonalDataSettings[mode=" + this.mode + ", hashKey=" + ((this.hashKey != null) ? "***" : null)
					+ ", defaultFields=" + this.defaultFields + ", fields=" + this.fields + "]";
		}

	}

	/**
	 * {@code tributary.personal-data}: personal-data settings every connection shares.
	 *
	 * @param hashKey the HMAC key of connections in mode hash that set none of their own,
	 * at least 32 characters; one key for all connections lets the same person's hashes
	 * match across connections. Never logged, stored or returned.
	 */
	public record GlobalPersonalData(String hashKey) {

		@Override
		public String toString() {
			return "GlobalPersonalData[hashKey=" + ((this.hashKey != null) ? "***" : null) + "]";
		}

	}

}
