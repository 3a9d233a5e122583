package io.tributary.web;

import java.io.IOException;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.RequestPath;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Boot's error page ({@code /error}), where the servlet container sends what no
 * controller answered: an exception thrown by a filter (a form body that cannot be
 * decoded, parameters Tomcat cannot read) or a {@code sendError} (Tomcat's 405 for
 * {@code TRACE}, ...). It answers problem documents like the rest of the API, instead of
 * Boot's own error body: an exception goes through the same {@link ProblemAdvice} as one
 * thrown by a controller, so a client mistake keeps its 4xx and names its parameter, and
 * only a real fault is a 500, whose body never shows the exception; a bare status gets
 * the problem of that status. Asked for directly, {@code /error} is no endpoint (404).
 */
@Hidden
@RestController
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController implements ErrorController {

	private static final String INTERNAL = "The request could not be completed because of an internal error; it has been logged.";

	private final JsonMapper json;

	private final HandlerExceptionResolver resolver;

	ProblemErrorController(JsonMapper json, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
		this.json = json;
		this.resolver = resolver;
	}

	@RequestMapping
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code)) {
			Problems
				.write(response,
						Problems.ofStatus(HttpStatus.NOT_FOUND, "No endpoint " + request.getMethod() + " "
								+ request.getRequestURI() + "; see /swagger-ui.html", request.getRequestURI()),
						this.json);
			return;
		}
		OriginalRequest original = new OriginalRequest(request);
		Throwable thrown = exception(request);
		if (thrown instanceof IllegalArgumentException && !parses(original)) {
			Problems.write(response, Problems.ofStatus(HttpStatus.BAD_REQUEST,
					"The URL path cannot be decoded: a percent-escape in it (such as in a ';' parameter) is broken; "
							+ "escapes are %XX with two hexadecimal digits",
					null), this.json);
			return;
		}
		if (thrown instanceof Exception exception
				&& this.resolver.resolveException(original, response, null, exception) != null) {
			return;
		}
		Problems.write(response, forStatus(code, original.getMethod(), original.getRequestURI()), this.json);
	}

	/**
	 * Whether Spring can parse the request's path: a filter in front of everything parses
	 * it, and fails with an {@link IllegalArgumentException} on a broken escape Tomcat
	 * let through (in a path parameter, which Tomcat does not decode).
	 */
	private static boolean parses(HttpServletRequest request) {
		try {
			RequestPath.parse(request.getRequestURI(), request.getContextPath());
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** What the filter threw, without the servlet container's wrapping. */
	private static Throwable exception(HttpServletRequest request) {
		Object error = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		if (error instanceof ServletException wrapped && wrapped.getRootCause() != null) {
			return wrapped.getRootCause();
		}
		return (error instanceof Throwable thrown) ? thrown : null;
	}

	/**
	 * @param code the status of an answer that says no more than that
	 * @param method the request's method
	 * @param path the request path, or null
	 * @return its problem; a status that is no error is taken for a fault (500), and 501
	 * (a method nobody implements) for the client's mistake (400)
	 */
	static ProblemDetail forStatus(int code, String method, String path) {
		if (code == 501) {
			// Tomcat's (or a servlet's) answer to a method it does not implement, such as
			// CONNECT: the client's mistake, not the server's
			return Problems.ofStatus(HttpStatus.BAD_REQUEST,
					"HTTP method '" + method + "' is not supported; this API answers GET, HEAD, POST and OPTIONS",
					path);
		}
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

	/**
	 * The error dispatch seen as the request that failed: its path and method, so that
	 * problems name them rather than {@code /error}.
	 */
	private static final class OriginalRequest extends HttpServletRequestWrapper {

		OriginalRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getRequestURI() {
			return (getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) ? uri
					: super.getRequestURI();
		}

		@Override
		public String getMethod() {
			return (getAttribute(RequestDispatcher.ERROR_METHOD) instanceof String method) ? method : super.getMethod();
		}

	}

}
