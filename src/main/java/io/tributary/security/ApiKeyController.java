package io.tributary.security;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.common.SignedCursors;
import io.tributary.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/api-keys}: API keys added, listed, expired and revoked while the gateway
 * runs, on every replica within seconds. Only a key with {@code operate} that is limited
 * to no connections may use it (the listing names every key and connection), and no key
 * makes a key broader than itself ({@link StoredKeys}). Configured keys
 * ({@code tributary.security.api-keys}) are not listed or changed here.
 */
@RestController
@RequestMapping(path = ApiKeyController.PATH, produces = "application/json")
@ConditionalOnBooleanProperty(name = "tributary.security.enabled", matchIfMissing = true)
@Tag(name = "API keys", description = "Keys added, expired and revoked while the gateway runs")
class ApiKeyController {

	static final String PATH = "/api/v1/api-keys";

	/** Tags this API's cursors, so another keyset API's cursor is refused here. */
	private static final String CURSOR = "api-keys.v1";

	private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

	private final StoredKeys stored;

	private final SignedCursors cursors;

	private final Clock clock;

	ApiKeyController(StoredKeys stored, SignedCursors cursors, ObjectProvider<Clock> clock) {
		this.stored = stored;
		this.cursors = cursors;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	@PostMapping
	@Operation(operationId = "createApiKey", summary = "Make an API key",
			description = "Makes a key with a random secret, answered this once (only its SHA-256 is kept): it works on every replica within tributary.security.stored-keys.refresh-interval (2 s by default), on this one at once. Its scopes must be some of the calling key's, and a calling key that expires makes only keys that expire no later. To rotate a key: make its successor, move the clients, then expire or revoke the old one.")
	@ApiResponse(responseCode = "201", description = "The key, with its secret",
			headers = @Header(name = "Location", description = "The key: /api/v1/api-keys/{name}",
					schema = @Schema(type = "string", format = "uri-reference", maxLength = 100,
							pattern = "^/api/v1/api-keys/[A-Za-z0-9._-]+$")))
	@ApiResponse(responseCode = "403",
			description = "The key lacks the operate scope, is limited to some connections, or asked for a key broader than itself")
	@ApiResponse(responseCode = "409",
			description = "The name is taken (by a configured key, or a stored key now or before), or tributary.security.stored-keys.max-active keys are active")
	ResponseEntity<NewApiKey> create(@Parameter(
			description = "The key's name, shown in logs and run records instead of its secret; never given to another key",
			example = "dashboard-2027") @RequestParam(required = false) @Size(max = 64) @Pattern(regexp = NAME_PATTERN,
					message = "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit") String name,
			@Parameter(description = "What it may do: read, operate or both (repeat the parameter)") @RequestParam(
					name = "scope", required = false) List<Scope> scope,
			@Parameter(
					description = "The only connections it sees (repeat the parameter); none for every connection") @RequestParam(
							name = "connection", required = false) List<String> connection,
			@Parameter(description = "When it stops working; never when left out",
					example = "2027-01-31T00:00:00Z") @RequestParam(required = false) Instant expiresAt,
			@Parameter(
					description = "Its rate limit: requests per rateLimitPeriod; tributary.security.rate-limit.requests when left out",
					example = "50") @RequestParam(
							required = false) @Min(1) @Max(StoredKeys.MAX_REQUESTS) Integer rateLimitRequests,
			@Parameter(
					description = "Its rate limit's period, ISO-8601 (PT0.001S to P1D); tributary.security.rate-limit.period when left out",
					example = "PT1S") @RequestParam(required = false) Duration rateLimitPeriod) {
		StoredKeys.Created created = this.stored.create(
				new StoredKeys.NewKey(name, (scope != null) ? Set.copyOf(scope) : Set.of(),
						(connection != null) ? connection : List.of(), rateLimitRequests, rateLimitPeriod, expiresAt),
				caller());
		ApiKeyView key = view(created.key());
		return ResponseEntity.created(URI.create(PATH + "/" + key.name()))
			.cacheControl(CacheControl.noStore())
			.body(new NewApiKey(created.secret(), key));
	}

	@GetMapping
	@Operation(operationId = "listApiKeys", summary = "List the stored API keys",
			description = "Every key made through this API, newest first, expired and revoked ones included; never a secret or its digest.")
	@ApiResponse(responseCode = "200", description = "One page of keys")
	@ApiResponse(responseCode = "403",
			description = "The key lacks the operate scope, or is limited to some connections")
	ApiKeyPage list(
			@Parameter(description = "Page size, 1..200 (default 50)",
					example = "50") @RequestParam(required = false) @Min(1) @Max(200) Integer limit,
			@Parameter(description = "page.nextCursor of the previous page",
					example = "YXBpLWtleXMudjF8NDI.c2ln") @RequestParam(required = false) String cursor) {
		SignedCursors.Slice<StoredKeys.StoredKey> slice = this.cursors.byDescendingId(CURSOR, limit, cursor,
				this.stored::list, StoredKeys.StoredKey::id);
		return new ApiKeyPage(slice.items().stream().map(this::view).toList(),
				new ApiKeyPage.ApiKeyPageInfo(slice.limit(), slice.nextCursor(), slice.hasNext()));
	}

	@GetMapping("/{name}")
	@Operation(operationId = "getApiKey", summary = "One stored API key",
			description = "As in the list; 404 for a name no stored key has.")
	@ApiResponse(responseCode = "200", description = "The key")
	@ApiResponse(responseCode = "403",
			description = "The key lacks the operate scope, or is limited to some connections")
	@ApiResponse(responseCode = "404", description = "No stored key has this name")
	ApiKeyView get(@Parameter(description = "The key's name",
			example = "dashboard-2027") @PathVariable @Size(max = 64) String name) {
		return view(this.stored.get(name));
	}

	@PostMapping("/{name}/revoke")
	@Operation(operationId = "revokeApiKey", summary = "Revoke a stored API key",
			description = "For good: it answers 401 on every replica within tributary.security.stored-keys.refresh-interval (2 s by default), on this one at once. Revoking a revoked key changes nothing.")
	@ApiResponse(responseCode = "200", description = "The key, revoked")
	@ApiResponse(responseCode = "403",
			description = "The key lacks the operate scope, or is limited to some connections")
	@ApiResponse(responseCode = "404", description = "No stored key has this name")
	ApiKeyView revoke(@Parameter(description = "The key's name",
			example = "dashboard-2026") @PathVariable @Size(max = 64) String name) {
		return view(this.stored.revoke(name, caller()));
	}

	@PostMapping("/{name}/expire")
	@Operation(operationId = "expireApiKey", summary = "Expire a stored API key, now or later",
			description = "Brings the key's expiry forward, to now or to a later time (such as the end of a rotation's grace period); it answers 401 from then on, on every replica. An expiry is never moved later: make a new key instead.")
	@ApiResponse(responseCode = "200", description = "The key, with its new expiry")
	@ApiResponse(responseCode = "403",
			description = "The key lacks the operate scope, or is limited to some connections")
	@ApiResponse(responseCode = "404", description = "No stored key has this name")
	@ApiResponse(responseCode = "409", description = "The key is revoked, has expired, or expires earlier already")
	ApiKeyView expire(
			@Parameter(description = "The key's name",
					example = "dashboard-2026") @PathVariable @Size(max = 64) String name,
			@Parameter(description = "When it expires; now when left out",
					example = "2027-01-07T00:00:00Z") @RequestParam(required = false) Instant at) {
		return view(this.stored.expire(name, at, caller()));
	}

	/** A key broader than the caller's own: refused as a missing permission. */
	@ExceptionHandler(StoredKeys.KeyBroaderThanCaller.class)
	ResponseEntity<ProblemDetail> broader(StoredKeys.KeyBroaderThanCaller ex, HttpServletRequest request) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.of(HttpStatus.FORBIDDEN, "key-broader-than-caller", "Key broader than the caller",
					ex.parameter(), ex.getMessage(), request.getRequestURI()));
	}

	private static ApiKeys.Key caller() {
		if (SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication authentication
				&& authentication.key() != null) {
			return authentication.key();
		}
		// the filter chain lets no request without a key here
		throw new IllegalStateException("No API key authenticated this request");
	}

	private ApiKeyView view(StoredKeys.StoredKey key) {
		Instant now = this.clock.instant();
		KeyStatus status = (key.revokedAt() != null) ? KeyStatus.REVOKED
				: (key.expiresAt() != null && !now.isBefore(key.expiresAt())) ? KeyStatus.EXPIRED : KeyStatus.ACTIVE;
		ApiSecurityProperties.RateLimit limit = this.stored.limitOf(key);
		return new ApiKeyView(key.name(), key.scopes().stream().sorted().toList(), key.connections(),
				new KeyRateLimit(limit.requests(), limit.period()), status, key.expiresAt(), key.createdAt(),
				key.createdBy(), key.revokedAt(), key.revokedBy());
	}

	/**
	 * A stored key, without its secret.
	 *
	 * @param name its name
	 * @param scopes what it may do
	 * @param connections the only connections it sees; empty for every connection
	 * @param rateLimit its rate limit
	 * @param status active, expired or revoked
	 * @param expiresAt when it stops (or stopped) working; null for never
	 * @param createdAt when it was made
	 * @param createdBy the name of the key that made it
	 * @param revokedAt when it was revoked; null unless it was
	 * @param revokedBy the name of the key that revoked it; null unless it was
	 */
	record ApiKeyView(@Schema(example = "dashboard-2027") String name, List<Scope> scopes, List<String> connections,
			KeyRateLimit rateLimit, KeyStatus status, @Nullable Instant expiresAt, Instant createdAt,
			@Schema(example = "ops") String createdBy, @Nullable Instant revokedAt, @Nullable String revokedBy) {
	}

	/**
	 * @param requests requests per period
	 * @param period the period, ISO-8601
	 */
	record KeyRateLimit(@Schema(example = "100") int requests,
			@Schema(type = "string", format = "duration", example = "PT1S") Duration period) {
	}

	/**
	 * A key just made.
	 *
	 * @param secret the key to send ({@code X-API-Key} or {@code Authorization: Bearer});
	 * answered this once, never kept
	 * @param key the key
	 */
	record NewApiKey(@Schema(example = "tbk_3q2-7wEXAMPLEONLYnot-a-real-key0123456789ab") String secret,
			ApiKeyView key) {

		@Override
		public String toString() {
			return "NewApiKey[" + this.key.name() + "]";
		}

	}

	/**
	 * @param items the keys, newest first
	 * @param page paging state
	 */
	record ApiKeyPage(List<ApiKeyView> items, ApiKeyPageInfo page) {

		record ApiKeyPageInfo(int limit, @Nullable String nextCursor, boolean hasNext) {
		}

	}

	/** Whether a key works. */
	enum KeyStatus implements io.tributary.common.ApiValue {

		ACTIVE, EXPIRED, REVOKED;

		@Override
		@com.fasterxml.jackson.annotation.JsonValue
		public String apiValue() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
