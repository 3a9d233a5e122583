package io.tributary.security;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.tributary.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@link ClientLimits} before any key is checked: a request without a key takes a
 * token of its address's anonymous bucket (the health probes excepted), one with a key a
 * token of its address's failed-authentication bucket; an empty bucket answers 429 with
 * {@code Retry-After}.
 */
final class ClientLimitFilter extends OncePerRequestFilter {

	private final ClientLimits limits;

	private final AuthenticationConverter keys;

	private final JsonMapper json;

	ClientLimitFilter(ClientLimits limits, AuthenticationConverter keys, JsonMapper json) {
		this.limits = limits;
		this.keys = keys;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.keys.convert(request) != null) {
			long wait = this.limits.keyed(request);
			if (wait > 0) {
				refuse(request, response, wait, "Requests with an API key that is not valid are limited to "
						+ per(this.limits.failed().requests(), this.limits.failed().period())
						+ " per client address, and no key from this address is checked until one is allowed again");
				return;
			}
		}
		else if (!ClientLimits.isProbe(request)) {
			long wait = this.limits.anonymous(request);
			if (wait > 0) {
				refuse(request, response, wait,
						"Requests without an API key are limited to "
								+ per(this.limits.anonymous().requests(), this.limits.anonymous().period())
								+ " per client address");
				return;
			}
		}
		chain.doFilter(request, response);
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response, long nanos, String why)
			throws IOException {
		long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + TimeUnit.SECONDS.toNanos(1) - 1));
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		Problems.write(response, Problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests", null,
				why + "; retry after " + seconds + " s", request.getRequestURI()), this.json);
	}

	private static String per(int requests, Duration period) {
		return requests + " per " + period;
	}

}
