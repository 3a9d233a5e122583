package io.tributary.web;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * RFC 9457 problem documents as this API writes them: a {@code urn:tributary:problem:}
 * type, a title, a detail that says what to do, the request path as instance, and the
 * offending parameter where there is one. Used by the MVC error path and by the filters
 * that answer before a controller is reached.
 */
public final class Problems {

	/** The media type of every error body. */
	public static final String MEDIA_TYPE = "application/problem+json";

	private static final String TYPE_PREFIX = "urn:tributary:problem:";

	private Problems() {
	}

	/**
	 * @param status the HTTP status
	 * @param type the short type name, such as {@code invalid-parameter}
	 * @param title the title
	 * @param parameter the offending parameter, or null
	 * @param detail what went wrong and what is allowed
	 * @param path the request path, or null when there is none worth repeating
	 * @return the problem
	 */
	public static ProblemDetail of(HttpStatusCode status, String type, String title, String parameter, String detail,
			String path) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + type));
		problem.setTitle(title);
		if (path != null) {
			problem.setInstance(instance(path));
		}
		if (parameter != null) {
			problem.setProperty("parameter", parameter);
		}
		return problem;
	}

	/**
	 * A problem that only a status describes (a refused method, media type or size, a
	 * malformed request): its type and title follow the status.
	 * @param status the HTTP status
	 * @param detail what went wrong and what to do
	 * @param path the request path, or null
	 * @return the problem
	 */
	public static ProblemDetail ofStatus(HttpStatusCode status, String detail, String path) {
		HttpStatus known = HttpStatus.resolve(status.value());
		return switch (status.value()) {
			case 400 -> of(status, "bad-request", "Bad request", null, detail, path);
			case 404 -> of(status, "not-found", "Not found", null, detail, path);
			case 500 -> of(status, "internal-error", "Internal error", null, detail, path);
			default -> (known != null)
					? of(status, known.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"),
							known.getReasonPhrase(), null, detail, path)
					: of(status, (status.isError() ? "error-" : "status-") + status.value(), "HTTP " + status.value(),
							null, detail, path);
		};
	}

	/**
	 * Writes a problem as the whole response, for filters that answer before Spring MVC.
	 * @param response the response, not yet committed
	 * @param problem the problem
	 * @param json the mapper
	 * @throws IOException when the client went away
	 */
	public static void write(HttpServletResponse response, ProblemDetail problem, JsonMapper json) throws IOException {
		response.setStatus(problem.getStatus());
		response.setContentType(MEDIA_TYPE);
		response.setCharacterEncoding("UTF-8");
		json.writeValue(response.getOutputStream(), problem);
	}

	/** The path as a relative URI; a path no URI can hold is not repeated back. */
	private static URI instance(String path) {
		try {
			return URI.create(path);
		}
		catch (IllegalArgumentException ex) {
			return URI.create("about:blank");
		}
	}

}
