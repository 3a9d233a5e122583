package io.tributary.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.tributary.sandbox.SandboxChaos.Fault;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Answers the simulated upstreams' requests ({@code /sandbox/…}) the way a misbehaving
 * server does, when {@link SandboxChaos} draws a fault: over real HTTP, so the gateway's
 * client sees exactly what it would see from a real upstream — a 500 or 503 and a 429
 * with the vendor's error body, a slow answer, or a 200 whose JSON body is cut in half
 * (with a {@code Content-Length} that matches the half, so only the JSON is broken).
 */
class SandboxChaosFilter extends OncePerRequestFilter {

	private final SandboxChaos chaos;

	SandboxChaosFilter(SandboxChaos chaos) {
		this.chaos = chaos;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.chaos.enabled() || !path(request).startsWith("/sandbox/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String vendor = path(request).startsWith("/sandbox/greenflash/") ? "greenflash" : "other";
		if ("greenflash".equals(vendor) && path(request).endsWith("/interactions")
				&& this.chaos.failsAlways(greenflashPage(request))) {
			error(response, 500, vendor, "Internal server error");
			return;
		}
		Fault fault = this.chaos.next();
		switch (fault) {
			case SERVER_ERROR -> {
				int status = this.chaos.serverErrorStatus();
				error(response, status, vendor,
						(status == 503) ? "Service temporarily unavailable" : "Internal server error");
			}
			case RATE_LIMITED -> {
				response.setHeader(HttpHeaders.RETRY_AFTER, "0");
				response.setHeader("retry-after-ms", "0");
				error(response, 429, vendor, "Rate limit reached, please retry later");
			}
			case SLOW -> {
				try {
					Thread.sleep(this.chaos.delay().toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				chain.doFilter(request, response);
			}
			case TRUNCATED -> truncated(request, response, chain);
			default -> chain.doFilter(request, response);
		}
	}

	/**
	 * The normal answer when it is not a 2xx; otherwise status 200 with the first half of
	 * its body.
	 */
	private static void truncated(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ContentCachingResponseWrapper cached = new ContentCachingResponseWrapper(response);
		chain.doFilter(request, cached);
		byte[] body = cached.getContentAsByteArray();
		if (cached.getStatus() / 100 != 2 || body.length < 2) {
			cached.copyBodyToResponse();
			return;
		}
		int half = body.length / 2;
		response.setStatus(200);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(half);
		response.getOutputStream().write(body, 0, half);
		response.flushBuffer();
	}

	/**
	 * The page of a Greenflash list request: its {@code page}, or the page its
	 * {@code offset} falls in; 0 when neither is readable.
	 */
	private static int greenflashPage(HttpServletRequest request) {
		try {
			if (request.getParameter("page") != null) {
				return Integer.parseInt(request.getParameter("page"));
			}
			if (request.getParameter("offset") != null) {
				int limit = (request.getParameter("limit") != null) ? Integer.parseInt(request.getParameter("limit"))
						: 50;
				return Integer.parseInt(request.getParameter("offset")) / Math.max(1, limit) + 1;
			}
		}
		catch (NumberFormatException ex) {
			return 0;
		}
		return 0;
	}

	/** The request's path within the application. */
	private static String path(HttpServletRequest request) {
		return request.getRequestURI().substring(request.getContextPath().length());
	}

	/**
	 * The vendor's error body: Greenflash's {@code {"success":false,"error":…}}, Zylon's
	 * and Flockx's {@code {"detail":…}}.
	 */
	private static void error(HttpServletResponse response, int status, String vendor, String message)
			throws IOException {
		String body = "greenflash".equals(vendor) ? "{\"success\":false,\"error\":\"" + message + "\"}"
				: "{\"detail\":\"" + message + "\"}";
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
		response.flushBuffer();
	}

}
