package io.tributary.security;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.common.Digests;
import io.tributary.common.DomainException;
import io.tributary.common.InvalidParameter;
import io.tributary.common.Rows;
import io.tributary.security.ApiSecurityProperties.RateLimit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The API keys added while the gateway runs, in {@code api_key}: each replica keeps the
 * active ones in memory, read again every {@code refresh-interval}
 * ({@link KeyMaintenance}), and looks a presented key up there by its SHA-256 digest.
 * Only digests are stored; the secret, 32 random bytes, is returned once, by
 * {@link #create}. Creating, expiring and revoking are written to the
 * {@value #AUDIT_LOGGER} log (names, never secrets or digests).
 * <p>
 * A presented key is found by a hash-table lookup of its digest: its time can tell a
 * guesser at most something about the SHA-256 of the guess, which says nothing about a
 * 256-bit random secret. (Configured keys, which may be short and chosen by people, are
 * compared in constant time, {@link ApiKeys}.)
 * <p>
 * The rule of minting: no key makes a key broader than itself. A new key's scopes are
 * some of the caller's; a caller limited to connections (the API refuses those already,
 * as for Actuator) could only make keys limited to some of its own; a caller that expires
 * makes only keys that expire no later. Expiring only brings an expiry forward, and
 * revoking only takes away, so any key that may manage keys may do either to any stored
 * key.
 */
class StoredKeys {

	static final String AUDIT_LOGGER = "io.tributary.security.audit";

	private static final Logger log = LoggerFactory.getLogger(StoredKeys.class);

	private static final Logger audit = LoggerFactory.getLogger(AUDIT_LOGGER);

	/** Starts every secret this gateway issues, so scanners and people can tell one. */
	static final String SECRET_PREFIX = "tbk_";

	private static final int SECRET_BYTES = 32;

	static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	static final int MAX_REQUESTS = 1_000_000;

	static final Duration MAX_PERIOD = Duration.ofDays(1);

	/** Serializes creations across replicas, so {@code max-active} holds. */
	private static final long CREATE_LOCK = 0x7472_6962_6b65_7973L;

	private static final String COLUMNS = "id, name, scopes, connections, rate_limit_requests, rate_limit_period_ms, "
			+ "expires_at, created_at, created_by, revoked_at, revoked_by";

	private final SecureRandom random = new SecureRandom();

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final StoredKeysProperties properties;

	private final RateLimit defaults;

	private final Set<String> configured;

	private final Set<String> connections;

	private final Clock clock;

	private volatile Snapshot snapshot = new Snapshot(Map.of(), null);

	private final AtomicBoolean staleWarned = new AtomicBoolean();

	private final AtomicBoolean refreshFailing = new AtomicBoolean();

	private final Set<String> shadowedWarned = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/**
	 * @param jdbc the API's pool
	 * @param transactions transactions on it
	 * @param properties the refresh settings and the bound
	 * @param security the default rate limit
	 * @param configured the configured keys, whose names no stored key may take
	 * @param connections the configured connection names
	 * @param clock the time
	 */
	StoredKeys(JdbcClient jdbc, TransactionTemplate transactions, StoredKeysProperties properties,
			ApiSecurityProperties security, ApiKeys configured, Set<String> connections, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.properties = properties;
		this.defaults = security.rateLimit();
		this.configured = configured.all()
			.stream()
			.map(ApiKeys.Key::name)
			.collect(java.util.stream.Collectors.toUnmodifiableSet());
		this.connections = Set.copyOf(connections);
		this.clock = clock;
	}

	/**
	 * Registers {@code tributary.security.stored.keys} (active stored keys this replica
	 * knows) and {@code tributary.security.stored.keys.age} (seconds since it last read
	 * them; NaN before the first read).
	 * @param meters the registry
	 */
	void registerMetrics(MeterRegistry meters) {
		Gauge.builder("tributary.security.stored.keys", this, (keys) -> keys.snapshot.byDigest().size())
			.description("Active stored API keys this replica knows")
			.register(meters);
		Gauge.builder("tributary.security.stored.keys.age", this, StoredKeys::ageSeconds)
			.description("Seconds since this replica last read the stored API keys")
			.baseUnit("seconds")
			.register(meters);
	}

	private double ageSeconds() {
		Long loaded = this.snapshot.loadedAt();
		return (loaded != null) ? (System.nanoTime() - loaded) / 1e9 : Double.NaN;
	}

	/**
	 * @param digest the SHA-256 of a presented key
	 * @return the active stored key it is, as last read; none when the stored keys were
	 * not read within {@code max-staleness}
	 */
	Optional<ApiKeys.Key> find(byte[] digest) {
		Snapshot current = this.snapshot;
		if (current.loadedAt() == null
				|| System.nanoTime() - current.loadedAt() > this.properties.maxStaleness().toNanos()) {
			if (current.loadedAt() != null && this.staleWarned.compareAndSet(false, true)) {
				log.error("The stored API keys were not read for longer than tributary.security.stored-keys."
						+ "max-staleness ({}): they are refused until the database answers again (configured keys "
						+ "keep working)", this.properties.maxStaleness());
			}
			return Optional.empty();
		}
		return Optional.ofNullable(current.byDigest().get(HexFormat.of().formatHex(digest)));
	}

	/**
	 * Reads the active stored keys again.
	 */
	void refresh() {
		long started = System.nanoTime();
		List<Row> rows = this.jdbc
			.sql("SELECT " + COLUMNS + ", secret_sha256 FROM api_key WHERE revoked_at IS NULL "
					+ "AND (expires_at IS NULL OR expires_at > :now) ORDER BY id")
			.param("now", Rows.timestamp(this.clock.instant()))
			.query(withDigest())
			.list();
		Map<String, ApiKeys.Key> byDigest = new HashMap<>();
		for (Row row : rows) {
			if (this.configured.contains(row.key().name())) {
				if (this.shadowedWarned.add(row.key().name())) {
					log.warn("Stored API key '{}' is not used: a configured key has its name "
							+ "(tributary.security.api-keys); revoke one of them", row.key().name());
				}
				continue;
			}
			ApiKeys.Key key = toKey(row.key(), row.sha256());
			byDigest.put(HexFormat.of().formatHex(key.sha256()), key);
		}
		this.snapshot = new Snapshot(Map.copyOf(byDigest), started);
		this.staleWarned.set(false);
		if (this.refreshFailing.compareAndSet(true, false)) {
			log.info("The stored API keys are read again ({} active)", byDigest.size());
		}
	}

	/**
	 * {@link #refresh()}, logging a failure instead of throwing it: the keys last read
	 * keep working until {@code max-staleness}.
	 */
	void refreshQuietly() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			if (this.refreshFailing.compareAndSet(false, true)) {
				log.warn("Could not read the stored API keys ({}); those last read keep working for up to {}",
						ex.toString(), this.properties.maxStaleness());
			}
		}
	}

	/**
	 * Creates a key.
	 * @param request what it may do
	 * @param caller the key asking
	 * @return the key and its secret, which is not kept
	 * @throws InvalidParameter when a value cannot be used
	 * @throws KeyBroaderThanCaller when the key would be broader than the caller's
	 * @throws KeyConflict when the name is taken or {@code max-active} keys are active
	 */
	Created create(NewKey request, ApiKeys.Key caller) {
		Instant now = this.clock.instant();
		NewKey checked = check(request, caller, now);
		String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret());
		byte[] sha256 = Digests.sha256(secret);
		StoredKey created;
		try {
			created = this.transactions.execute((status) -> {
				this.jdbc.sql("SELECT pg_advisory_xact_lock(:lock)")
					.param("lock", CREATE_LOCK)
					.query((rs, row) -> 1)
					.list();
				long active = this.jdbc
					.sql("SELECT count(*) FROM api_key WHERE revoked_at IS NULL "
							+ "AND (expires_at IS NULL OR expires_at > :now)")
					.param("now", Rows.timestamp(now))
					.query(Long.class)
					.single();
				if (active >= this.properties.maxActive()) {
					throw new KeyConflict(null,
							"There are " + active + " active stored keys, the most tributary.security.stored-keys."
									+ "max-active allows; revoke or expire keys no longer used first");
				}
				return this.jdbc.sql("INSERT INTO api_key (name, secret_sha256, scopes, connections, "
						+ "rate_limit_requests, rate_limit_period_ms, expires_at, created_at, created_by) "
						+ "VALUES (:name, :sha256, CAST(:scopes AS text[]), CAST(:connections AS text[]), :requests, "
						+ ":periodMs, :expiresAt, :now, :by) RETURNING " + COLUMNS)
					.param("name", checked.name())
					.param("sha256", sha256)
					.param("scopes", textArray(checked.scopes().stream().map(Scope::apiValue).toList()))
					.param("connections", textArray(checked.connections()))
					.param("requests", checked.requests())
					.param("periodMs", (checked.period() != null) ? checked.period().toMillis() : null)
					.param("expiresAt", Rows.timestamp(checked.expiresAt()))
					.param("now", Rows.timestamp(now))
					.param("by", caller.name())
					.query(ROW)
					.single();
			});
		}
		catch (DuplicateKeyException ex) {
			throw new KeyConflict("name", "A stored key named '" + checked.name()
					+ "' exists, or existed: the name of a revoked key is not given to another; choose another name");
		}
		audit.info("API key '{}' created by '{}': scopes {}, connections {}, rate limit {}, expires {}", created.name(),
				caller.name(), apiValues(created.scopes()),
				created.connections().isEmpty() ? "all" : created.connections(),
				limitOf(created).requests() + " per " + limitOf(created).period(),
				(created.expiresAt() != null) ? created.expiresAt() : "never");
		refreshQuietly();
		return new Created(created, secret);
	}

	private NewKey check(NewKey request, ApiKeys.Key caller, Instant now) {
		if (request.name() == null || request.name().isEmpty()) {
			throw new InvalidParameter("name", "Parameter 'name' is required: it names the key in logs and in "
					+ "this API instead of its secret");
		}
		if (!NAME.matcher(request.name()).matches()) {
			throw new InvalidParameter("name", "Parameter 'name' must be 1 to 64 letters, digits, '.', '_' or '-', "
					+ "starting with a letter or digit (was '" + request.name() + "')");
		}
		if (this.configured.contains(request.name())) {
			throw new KeyConflict("name", "Parameter 'name': '" + request.name()
					+ "' is the name of a configured key (tributary.security.api-keys); choose another name");
		}
		if (request.scopes().isEmpty()) {
			throw new InvalidParameter("scope", "Parameter 'scope' is required: read, operate or both");
		}
		Set<Scope> missing = new TreeSet<>(request.scopes());
		missing.removeAll(caller.scopes());
		if (!missing.isEmpty()) {
			throw new KeyBroaderThanCaller("scope",
					"Parameter 'scope': key '" + caller.name() + "' may only make keys with scopes it has itself ("
							+ apiValues(caller.scopes()) + "), not " + apiValues(missing));
		}
		List<String> unknown = request.connections().stream().filter((c) -> !this.connections.contains(c)).toList();
		if (!unknown.isEmpty()) {
			throw new InvalidParameter("connection", "Parameter 'connection': " + unknown
					+ " is not a configured connection; configured: " + new TreeSet<>(this.connections));
		}
		if (!caller.connections().isEmpty()
				&& (request.connections().isEmpty() || !caller.connections().containsAll(request.connections()))) {
			throw new KeyBroaderThanCaller("connection", "Parameter 'connection': key '" + caller.name()
					+ "' is limited to some connections, and may only make keys limited to some of those");
		}
		if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
			throw new InvalidParameter("expiresAt",
					"Parameter 'expiresAt' must be in the future (was " + request.expiresAt() + ")");
		}
		if (caller.expiresAt() != null
				&& (request.expiresAt() == null || request.expiresAt().isAfter(caller.expiresAt()))) {
			throw new KeyBroaderThanCaller("expiresAt", "Parameter 'expiresAt': key '" + caller.name() + "' expires at "
					+ caller.expiresAt() + ", and may only make keys that expire no later");
		}
		if (request.requests() != null && (request.requests() < 1 || request.requests() > MAX_REQUESTS)) {
			throw new InvalidParameter("rateLimitRequests",
					"Parameter 'rateLimitRequests' must be 1 to " + MAX_REQUESTS + " (was " + request.requests() + ")");
		}
		if (request.period() != null
				&& (request.period().toMillis() < 1 || request.period().compareTo(MAX_PERIOD) > 0)) {
			throw new InvalidParameter("rateLimitPeriod", "Parameter 'rateLimitPeriod' must be from PT0.001S to "
					+ MAX_PERIOD + " (was " + request.period() + ")");
		}
		return new NewKey(request.name(), Set.copyOf(request.scopes()),
				List.copyOf(new LinkedHashSet<>(request.connections())), request.requests(), request.period(),
				request.expiresAt());
	}

	/**
	 * @param before the id below which to list; null from the newest
	 * @param size the most to list
	 * @return the stored keys, revoked and expired included, newest first
	 */
	List<StoredKey> list(@Nullable Long before, int size) {
		return this.jdbc
			.sql("SELECT " + COLUMNS + " FROM api_key WHERE CAST(:before AS bigint) IS NULL OR id < :before "
					+ "ORDER BY id DESC LIMIT :size")
			.param("before", before)
			.param("size", size)
			.query(ROW)
			.list();
	}

	/**
	 * @param name a key's name
	 * @return the stored key
	 * @throws KeyNotFound when no stored key has it
	 */
	StoredKey get(String name) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM api_key WHERE name = :name")
			.param("name", name)
			.query(ROW)
			.optional()
			.orElseThrow(() -> notFound(name));
	}

	/**
	 * Revokes a key, for good (revoking a revoked key changes nothing).
	 * @param name its name
	 * @param caller the key asking
	 * @return the key
	 */
	StoredKey revoke(String name, ApiKeys.Key caller) {
		Instant now = this.clock.instant();
		Optional<StoredKey> revoked = this.jdbc
			.sql("UPDATE api_key SET revoked_at = :now, revoked_by = :by WHERE name = :name AND revoked_at IS NULL "
					+ "RETURNING " + COLUMNS)
			.param("now", Rows.timestamp(now))
			.param("by", caller.name())
			.param("name", name)
			.query(ROW)
			.optional();
		if (revoked.isEmpty()) {
			return get(name);
		}
		audit.info("API key '{}' revoked by '{}'", name, caller.name());
		refreshQuietly();
		return revoked.get();
	}

	/**
	 * Brings a key's expiry forward.
	 * @param name its name
	 * @param at when it expires; null for now
	 * @param caller the key asking
	 * @return the key
	 */
	StoredKey expire(String name, @Nullable Instant at, ApiKeys.Key caller) {
		Instant now = this.clock.instant();
		Instant when = (at != null) ? at : now;
		if (when.isBefore(now)) {
			throw new InvalidParameter("at",
					"Parameter 'at' must not be in the past (was " + at + "); leave it out to expire the key now");
		}
		Optional<StoredKey> expired = this.jdbc
			.sql("UPDATE api_key SET expires_at = :at WHERE name = :name AND revoked_at IS NULL "
					+ "AND (expires_at IS NULL OR expires_at > :at) RETURNING " + COLUMNS)
			.param("at", Rows.timestamp(when))
			.param("name", name)
			.query(ROW)
			.optional();
		if (expired.isEmpty()) {
			StoredKey key = get(name);
			if (key.revokedAt() != null) {
				throw new KeyConflict("name", "Key '" + name + "' was revoked at " + key.revokedAt());
			}
			if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) {
				throw new KeyConflict("name", "Key '" + name + "' expired at " + key.expiresAt());
			}
			throw new KeyConflict("at", "Key '" + name + "' expires at " + key.expiresAt() + " already, before " + when
					+ "; an expiry is only brought forward (make a new key instead)");
		}
		audit.info("API key '{}' set to expire at {} by '{}'", name, when, caller.name());
		refreshQuietly();
		return expired.get();
	}

	/**
	 * @param key a stored key
	 * @return the limit it has: its own, or the default
	 */
	RateLimit limitOf(StoredKey key) {
		return new RateLimit((key.requests() != null) ? key.requests() : this.defaults.requests(),
				(key.period() != null) ? key.period() : this.defaults.period());
	}

	private ApiKeys.Key toKey(StoredKey key, byte[] sha256) {
		RateLimit limit = limitOf(key);
		return new ApiKeys.Key(key.name(), sha256, Set.copyOf(key.scopes()), Set.copyOf(key.connections()),
				limit.requests(), limit.period(), key.expiresAt());
	}

	private KeyNotFound notFound(String name) {
		if (this.configured.contains(name)) {
			return new KeyNotFound("Key '" + name + "' is a configured key (tributary.security.api-keys): it is "
					+ "changed there, and this API manages stored keys only");
		}
		return new KeyNotFound("No stored key is named '" + name + "'");
	}

	private byte[] secret() {
		byte[] bytes = new byte[SECRET_BYTES];
		this.random.nextBytes(bytes);
		return bytes;
	}

	private static String apiValues(Set<Scope> scopes) {
		return scopes.stream().map(Scope::apiValue).sorted().toList().toString();
	}

	private static String textArray(List<String> values) {
		// PostgreSQL's array literal; names and scopes hold no quote, comma or brace
		return "{" + String.join(",", values) + "}";
	}

	private static List<String> strings(Array array) throws SQLException {
		return (array != null) ? Arrays.asList((String[]) array.getArray()) : List.of();
	}

	private static final RowMapper<StoredKey> ROW = (rs, row) -> {
		List<Scope> scopes = new ArrayList<>();
		for (String scope : strings(rs.getArray("scopes"))) {
			scopes.add(Scope.valueOf(scope.toUpperCase(java.util.Locale.ROOT)));
		}
		long periodMs = rs.getLong("rate_limit_period_ms");
		Duration period = rs.wasNull() ? null : Duration.ofMillis(periodMs);
		int requests = rs.getInt("rate_limit_requests");
		Integer ownRequests = rs.wasNull() ? null : requests;
		return new StoredKey(rs.getLong("id"), rs.getString("name"), Set.copyOf(scopes),
				strings(rs.getArray("connections")), ownRequests, period, Rows.instant(rs, "expires_at"),
				Rows.instant(rs, "created_at"), rs.getString("created_by"), Rows.instant(rs, "revoked_at"),
				rs.getString("revoked_by"));
	};

	private static RowMapper<Row> withDigest() {
		return (rs, row) -> new Row(ROW.mapRow(rs, row), rs.getBytes("secret_sha256"));
	}

	private record Row(StoredKey key, byte[] sha256) {
	}

	/**
	 * The active stored keys by the hex of their digest, and when they were read.
	 *
	 * @param byDigest the keys
	 * @param loadedAt {@link System#nanoTime()} when the read began; null before the
	 * first
	 */
	private record Snapshot(Map<String, ApiKeys.Key> byDigest, @Nullable Long loadedAt) {
	}

	/**
	 * A key to make.
	 *
	 * @param name its name
	 * @param scopes what it may do
	 * @param connections the only connections it sees; empty for all
	 * @param requests its rate limit's requests; null for the default
	 * @param period its rate limit's period; null for the default
	 * @param expiresAt when it expires; null for never
	 */
	record NewKey(@Nullable String name, Set<Scope> scopes, List<String> connections, @Nullable Integer requests,
			@Nullable Duration period, @Nullable Instant expiresAt) {
	}

	/**
	 * A stored key, without its digest.
	 *
	 * @param id its row
	 * @param name its name
	 * @param scopes what it may do
	 * @param connections the only connections it sees; empty for all
	 * @param requests its own rate limit's requests; null for the default
	 * @param period its own rate limit's period; null for the default
	 * @param expiresAt when it expires; null for never
	 * @param createdAt when it was made
	 * @param createdBy the key that made it
	 * @param revokedAt when it was revoked; null while it is not
	 * @param revokedBy the key that revoked it
	 */
	record StoredKey(long id, String name, Set<Scope> scopes, List<String> connections, @Nullable Integer requests,
			@Nullable Duration period, @Nullable Instant expiresAt, Instant createdAt, String createdBy,
			@Nullable Instant revokedAt, @Nullable String revokedBy) {
	}

	/**
	 * @param key the key made
	 * @param secret its secret, shown this once
	 */
	record Created(StoredKey key, String secret) {

		@Override
		public String toString() {
			return "Created[" + this.key.name() + "]";
		}

	}

	/** A stored key that does not exist. */
	static final class KeyNotFound extends DomainException {

		KeyNotFound(String detail) {
			super(Kind.NOT_FOUND, "name", detail);
		}

	}

	/** A change the keys' state does not allow. */
	static final class KeyConflict extends DomainException {

		KeyConflict(@Nullable String parameter, String detail) {
			super(Kind.CONFLICT, parameter, detail);
		}

	}

	/** A key asked for more than the caller has: answered 403. */
	static final class KeyBroaderThanCaller extends RuntimeException {

		private final String parameter;

		KeyBroaderThanCaller(String parameter, String detail) {
			super(detail, null, false, false);
			this.parameter = parameter;
		}

		String parameter() {
			return this.parameter;
		}

	}

}
