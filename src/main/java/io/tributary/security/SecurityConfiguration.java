package io.tributary.security;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.tributary.common.ConnectionScope;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Connections;
import io.tributary.web.Problems;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.context.request.async.WebAsyncManagerIntegrationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * The filter chains. The public ones: health probes, the OpenAPI document and Swagger UI
 * (documentation, no data), the demo's simulated upstreams, which check their own vendor
 * keys, and the console's static files (with a strict Content-Security-Policy). The API
 * one: everything else needs a configured API key; reads of {@code /api} need
 * {@code read}, any other method needs {@code operate}, and Actuator beyond health needs
 * {@code operate} on a key limited to no connections (it shows every connection); each
 * key is rate-limited; CORS only for configured origins.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ApiSecurityProperties.class)
class SecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	/**
	 * Reachable without a key; a key with {@code operate} and no connections limit sees
	 * each component's details.
	 */
	static final String[] HEALTH_PATHS = { "/actuator/health", "/actuator/health/**" };

	/**
	 * The keys' own API: {@code operate} on a key limited to no connections, whatever the
	 * method.
	 */
	static final String[] KEY_PATHS = { ApiKeyController.PATH, ApiKeyController.PATH + "/**" };

	/** Reachable without a key. */
	static final String[] PUBLIC_PATHS = { "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**",
			"/sandbox/**", "/error" };

	/**
	 * The console: its page, scripts, styles and what it may know before a key is entered
	 * (static, no data; every call it makes goes to the API with a key).
	 */
	static final String[] CONSOLE_PATHS = { "/", "/index.html", "/console/**" };

	/**
	 * The console's policy: its own files only, no inline script or style, no framing,
	 * API calls to this origin only.
	 */
	static final String CONSOLE_CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; "
			+ "style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
			+ "frame-ancestors 'none'";

	@Bean
	ApiKeys apiKeys(ApiSecurityProperties properties, Connections connections) {
		Set<String> names = connections.all()
			.stream()
			.map(ConfiguredConnection::name)
			.collect(Collectors.toUnmodifiableSet());
		ApiKeys keys = new ApiKeys(properties, names);
		if (!properties.enabled()) {
			log.warn("tributary.security.enabled=false: every endpoint, data and sync triggers included, "
					+ "is open to anyone who can reach this port");
		}
		else if (keys.isEmpty()) {
			throw new IllegalStateException("No API key is configured: add one under tributary.security.api-keys "
					+ "(name, key or key-sha256, scopes), or set tributary.security.enabled=false explicitly "
					+ "to run without authentication");
		}
		else {
			log.info("API keys configured: {}",
					keys.all()
						.stream()
						.map((key) -> key.name() + " " + key.scopes().stream().map(Scope::apiValue).sorted().toList())
						.toList());
		}
		return keys;
	}

	/**
	 * No observations of the filter chain's every filter, of authentication and of
	 * authorization: each request already has its {@code http.server.requests}
	 * observation, and these cost more than the key check itself.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * The buckets of client addresses, shared by the health chain and the API chain.
	 */
	@Bean
	ClientLimits clientLimits(ApiSecurityProperties properties) {
		return new ClientLimits(properties);
	}

	@Bean
	ConnectionScope connectionScope(ApiSecurityProperties properties) {
		return new ScopedConnections(properties.enabled());
	}

	/**
	 * Health and its probes answer everyone; a key, when one is sent, is checked as on
	 * the API (a wrong one is a 401), so a key with {@code operate} and no connections
	 * limit sees the components and their details
	 * ({@code management.endpoint.health.roles}).
	 */
	@Bean
	@Order(0)
	SecurityFilterChain health(HttpSecurity http, ApiSecurityProperties properties, ApiKeys keys, ClientLimits limits,
			JsonMapper json, ObjectProvider<StoredKeys> stored, ObjectProvider<Clock> clock) throws Exception {
		stateless(http.securityMatcher(HEALTH_PATHS));
		if (properties.enabled()) {
			ApiKeyRequests requests = requests(keys, stored, clock);
			http.addFilterBefore(new ClientLimitFilter(limits, requests, json), AnonymousAuthenticationFilter.class)
				.addFilterBefore(keyAuthentication(requests, limits, new SecurityProblems(json)),
						AnonymousAuthenticationFilter.class);
		}
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
	}

	@Bean
	@Order(1)
	SecurityFilterChain publicEndpoints(HttpSecurity http) throws Exception {
		return stateless(http.securityMatcher(PUBLIC_PATHS))
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.build();
	}

	@Bean
	@Order(1)
	SecurityFilterChain console(HttpSecurity http) throws Exception {
		return stateless(http.securityMatcher(CONSOLE_PATHS))
			.headers((headers) -> headers
				.contentSecurityPolicy((policy) -> policy.policyDirectives(CONSOLE_CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain api(HttpSecurity http, ApiSecurityProperties properties, ApiKeys keys, ClientLimits limits,
			JsonMapper json, ObjectProvider<StoredKeys> stored, ObjectProvider<Clock> clock,
			ObjectProvider<KeyBuckets> buckets) throws Exception {
		SecurityProblems problems = new SecurityProblems(json);
		stateless(http).addFilterBefore(corsFilter(properties.cors(), json), AnonymousAuthenticationFilter.class);
		if (!properties.enabled()) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}
		ApiKeyRequests requests = requests(keys, stored, clock);
		// in this order: CORS (a preflight is answered there), the client's limits, its
		// key
		return http.addFilterBefore(new ClientLimitFilter(limits, requests, json), AnonymousAuthenticationFilter.class)
			.addFilterBefore(keyAuthentication(requests, limits, problems), AnonymousAuthenticationFilter.class)
			.addFilterBefore(new RateLimitFilter(buckets.getIfAvailable(LocalKeyBuckets::new), json),
					AuthorizationFilter.class)
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			// managing keys shows and changes every key: like Actuator, for keys
			// limited to no connections
			.authorizeHttpRequests((authorize) -> authorize.requestMatchers(KEY_PATHS)
				.hasAuthority(ApiKeyAuthentication.OPERATE_EVERY_CONNECTION)
				.requestMatchers(HttpMethod.GET, "/api/**")
				.hasAuthority(Scope.READ.authority())
				.requestMatchers(HttpMethod.HEAD, "/api/**")
				.hasAuthority(Scope.READ.authority())
				.requestMatchers("/api/**")
				.hasAuthority(Scope.OPERATE.authority())
				.requestMatchers("/actuator/**")
				.hasAuthority(ApiKeyAuthentication.OPERATE_EVERY_CONNECTION)
				.anyRequest()
				.authenticated())
			.build();
	}

	/**
	 * Authenticates the request's key, when it sends one; a wrong key is a 401 problem
	 * (and keeps the token of its address's failed-authentication bucket it took).
	 */
	private static ApiKeyRequests requests(ApiKeys keys, ObjectProvider<StoredKeys> stored,
			ObjectProvider<Clock> clock) {
		return new ApiKeyRequests(keys, stored.getIfAvailable(), clock.getIfAvailable(Clock::systemUTC));
	}

	private static AuthenticationFilter keyAuthentication(ApiKeyRequests requests, ClientLimits limits,
			SecurityProblems problems) {
		AuthenticationFilter authentication = new AuthenticationFilter(new ProviderManager(requests), requests);
		authentication.setSuccessHandler((request, response, result) -> limits.authenticated(request));
		authentication.setFailureHandler(problems);
		return authentication;
	}

	/** No sessions, no cookies, no login pages: every request carries its key. */
	private static HttpSecurity stateless(HttpSecurity http) throws Exception {
		return http.addFilterBefore(new HeaderCheck(), WebAsyncManagerIntegrationFilter.class)
			.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.anonymous(Customizer.withDefaults());
	}

	/**
	 * CORS for the configured origins only (none by default): a preflight from any other
	 * origin is refused with a 403 problem.
	 */
	private static CorsFilter corsFilter(ApiSecurityProperties.Cors cors, JsonMapper json) {
		CorsConfiguration configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(cors.allowedOrigins());
		configuration.setAllowedMethods(List.of("GET", "HEAD", "POST"));
		configuration.setAllowedHeaders(List.of("Authorization", ApiKeyRequests.HEADER, "Content-Type", "Accept",
				"If-None-Match", "If-Modified-Since"));
		configuration.setExposedHeaders(List.of("Location", "ETag", "Retry-After", RateLimitFilter.LIMIT,
				RateLimitFilter.REMAINING, RateLimitFilter.RESET, "WWW-Authenticate"));
		configuration.setAllowCredentials(false);
		configuration.setMaxAge(cors.maxAge());
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", configuration);
		CorsFilter filter = new CorsFilter(source);
		filter.setCorsProcessor(new DefaultCorsProcessor() {
			@Override
			protected void rejectRequest(ServerHttpResponse response) throws IOException {
				HttpServletResponse servlet = ((ServletServerHttpResponse) response).getServletResponse();
				Problems.write(servlet,
						Problems.of(HttpStatus.FORBIDDEN, "cors-origin-not-allowed", "Origin not allowed", null,
								"This origin may not call the API from a browser; allowed origins are configured in "
										+ "tributary.security.cors.allowed-origins",
								"/"),
						json);
			}
		});
		return filter;
	}

}
