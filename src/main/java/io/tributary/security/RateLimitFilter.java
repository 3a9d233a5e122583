package io.tributary.security;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.ConsumptionProbe;
import io.tributary.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One token bucket per API key (Bucket4j, {@link KeyBuckets}: shared by every replica in
 * PostgreSQL, or this process's own): each request takes a token; an empty bucket answers
 * 429 with {@code Retry-After}. Every answer to a keyed request carries
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset}
 * (seconds until the bucket is full again).
 */
final class RateLimitFilter extends OncePerRequestFilter {

	static final String LIMIT = "RateLimit-Limit";

	static final String REMAINING = "RateLimit-Remaining";

	static final String RESET = "RateLimit-Reset";

	private final KeyBuckets buckets;

	private final JsonMapper json;

	RateLimitFilter(KeyBuckets buckets, JsonMapper json) {
		this.buckets = buckets;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!(SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication authentication)
				|| authentication.key() == null) {
			chain.doFilter(request, response);
			return;
		}
		ApiKeys.Key key = authentication.key();
		ConsumptionProbe probe = this.buckets.tryConsume(key);
		response.setHeader(LIMIT, Integer.toString(key.requests()));
		response.setHeader(REMAINING, Long.toString(probe.getRemainingTokens()));
		response.setHeader(RESET, Long.toString(seconds(probe.getNanosToWaitForReset())));
		if (probe.isConsumed()) {
			chain.doFilter(request, response);
			return;
		}
		long retryAfter = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests", null,
				"API key '" + key.name() + "' may send " + key.requests() + " requests per " + key.period()
						+ "; retry after " + retryAfter + " s",
				request.getRequestURI());
		Problems.write(response, problem, this.json);
	}

	private static long seconds(long nanos) {
		return (nanos <= 0) ? 0 : TimeUnit.NANOSECONDS.toSeconds(nanos + TimeUnit.SECONDS.toNanos(1) - 1);
	}

}
