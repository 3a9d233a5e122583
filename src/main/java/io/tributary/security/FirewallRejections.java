package io.tributary.security;

import java.io.IOException;
import java.util.Set;

import io.tributary.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Requests Spring Security's HTTP firewall refuses, as 400 problem documents, wherever
 * the refusal is noticed: in the filter chain (the URL or the method, checked first; a
 * header read by a filter), where it is this chain's {@link RequestRejectedHandler}, or
 * in Spring MVC (a header or parameter name read only there), where it is handled before
 * the application's catch-all turns it into a 500.
 * <p>
 * The firewall refuses an encoded {@code /}, {@code \} or {@code %} in the path, a
 * {@code ;}, {@code //}, {@code .} or {@code ..} segments, non-printable characters in
 * the path, methods outside the standard ones, and control or unassigned characters in
 * header names and values and in parameter names. Its own message quotes what was sent
 * (which may be a key), so the answer says what is refused without repeating it.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class FirewallRejections implements RequestRejectedHandler {

	/** The methods the firewall lets through. */
	private static final Set<String> FIREWALL_METHODS = Set.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST",
			"PUT");

	private final JsonMapper json;

	FirewallRejections(JsonMapper json) {
		this.json = json;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException ex)
			throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		Problems.write(response, Problems.of(HttpStatus.BAD_REQUEST, "request-rejected", "Request rejected", null,
				detail(request.getMethod(), String.valueOf(ex.getMessage())), printable(request.getRequestURI())),
				this.json);
	}

	@ExceptionHandler(RequestRejectedException.class)
	void rejectedInSpringMvc(RequestRejectedException ex, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		handle(request, response, ex);
	}

	private static String detail(String method, String reason) {
		if (!FIREWALL_METHODS.contains(method)) {
			return "HTTP method '" + method + "' is not supported; this API answers GET, HEAD, POST and OPTIONS";
		}
		if (reason.contains("header")) {
			return "A header name or value holds a character that is not allowed (a control character, "
					+ "or one Unicode does not assign); send header values as printable ASCII";
		}
		if (reason.contains("parameter")) {
			return "A query parameter name holds a character that is not allowed (a control character, "
					+ "or one Unicode does not assign)";
		}
		return "The URL holds a sequence that is not allowed: an encoded '/', '\\' or '%' (%2F, %5C, %25), "
				+ "a ';', '//', '.' or '..' segments, or a non-printable character; send the canonical path "
				+ "without them";
	}

	/** The path when it is printable ASCII, else none: it goes back into the answer. */
	private static String printable(String path) {
		return (path != null && !path.isEmpty() && path.chars().allMatch((c) -> c > 0x20 && c < 0x7F)) ? path : null;
	}

}
