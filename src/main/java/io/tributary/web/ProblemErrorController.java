package io.tributary.web;

import java.io.IOException;

import io.swagger.v3.oas.annotations.Hidden;
import io.tributary.common.DomainException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Boot's error page ({@code /error}), where the servlet container sends what no
 * controller answered: a {@code sendError} (Tomcat's 405 for {@code TRACE}, ...) or an
 * exception thrown by a filter. It answers problem documents like the rest of the API,
 * instead of Boot's own error body: a client mistake keeps its 4xx (a parameter Tomcat
 * could not read, raised in a filter, is a 400 naming it, not a 500); only a real fault
 * is a 500, and its body never shows the exception. Asked for directly, {@code /error} is
 * no endpoint (404).
 */
@Hidden
@RestController
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController implements ErrorController {

	private static final String INTERNAL = "The request could not be completed because of an internal error; it has been logged.";

	private final JsonMapper json;

	ProblemErrorController(JsonMapper json) {
		this.json = json;
	}

	@RequestMapping
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		Problems.write(response, problem(request), this.json);
	}

	/**
	 * @param request the error dispatch, or a request for the error page itself
	 * @return the problem to answer
	 */
	static ProblemDetail problem(HttpServletRequest request) {
		if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code)) {
			return Problems.ofStatus(HttpStatus.NOT_FOUND,
					"No endpoint " + request.getMethod() + " " + request.getRequestURI() + "; see /swagger-ui.html",
					request.getRequestURI());
		}
		String path = (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) ? uri : null;
		Object error = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		for (Throwable cause = (error instanceof Throwable thrown) ? thrown : null; cause != null; cause = cause
			.getCause()) {
			if (cause instanceof InvalidParameterException invalid) {
				return ProblemAdvice.unreadableParameters(invalid, path);
			}
			if (cause instanceof DomainException domain) {
				return ProblemAdvice.domainProblem(domain, path);
			}
		}
		String method = (request.getAttribute(RequestDispatcher.ERROR_METHOD) instanceof String original) ? original
				: request.getMethod();
		return forStatus(code, method, path);
	}

	/**
	 * @param code the status of an answer that says no more than that
	 * @param method the request's method
	 * @param path the request path, or null
	 * @return its problem; a status that is no error is taken for a fault (500)
	 */
	static ProblemDetail forStatus(int code, String method, String path) {
		HttpStatusCode status = HttpStatusCode.valueOf((code >= 400 && code <= 599) ? code : 500);
		String detail = switch (status.value()) {
			case 400 -> "The request is malformed: check its URL (percent-escapes as %XX, UTF-8) and its headers";
			case 404 -> "No endpoint " + method + " " + path + "; see /swagger-ui.html";
			case 405 -> "Method '" + method + "' is not supported here; the Allow header lists those that are";
			case 413, 414, 431 -> "The request is larger than this API accepts";
			default -> status.is5xxServerError() ? INTERNAL : "The request cannot be answered (HTTP " + code + ")";
		};
		return Problems.ofStatus(status, detail, path);
	}

}
