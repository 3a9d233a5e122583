package io.tributary.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's own error answers as problem documents. Tomcat refuses some requests before
 * any filter or servlet sees them: a request line or headers over its size limit, a
 * broken or forbidden escape in the path ({@code %zz}, {@code %2F}, {@code %5C},
 * {@code %00}), characters that must be escaped, control characters in a header. Its
 * standard {@link ErrorReportValve} answers those with an HTML page; this one, in its
 * place on the host, answers the same status with an {@code application/problem+json}
 * body (a 501 for a method Tomcat does not implement, such as {@code CONNECT}, becomes a
 * 400: the client's mistake). Errors an application answered itself (with a body) are
 * left alone.
 */
public class ProblemReportValve extends ErrorReportValve {

	/**
	 * Tomcat's reason, shown when it is plain text (it says which part is wrong), without
	 * the bracketed copies of what the client sent.
	 */
	private static final Pattern PLAIN = Pattern.compile("[\\x20-\\x7E]{1,300}");

	private final JsonMapper json;

	/**
	 * @param json writes the problem
	 */
	public ProblemReportValve(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		ProblemDetail problem = (status == 501) ? ProblemErrorController.forStatus(status, request.getMethod(), null)
				: Problems.ofStatus(HttpStatusCode.valueOf(Math.min(status, 599)),
						detail(status, reason(response, throwable)), null);
		response.setStatus(problem.getStatus());
		try {
			String body = this.json.writeValueAsString(problem);
			response.setContentType(Problems.MEDIA_TYPE);
			response.setCharacterEncoding("UTF-8");
			PrintWriter writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone, or the response cannot take a body any more
		}
	}

	private static String detail(int status, String reason) {
		String detail = switch (status) {
			case 400 -> "The request is malformed and was refused before reaching the API. Check the URL "
					+ "(percent-escapes are %XX with two hexadecimal digits; encoded '/', '\\' and control characters "
					+ "are not allowed in the path; spaces and non-ASCII characters must be escaped) and the headers "
					+ "(no control characters), and keep the request line and headers within the server's limit "
					+ "(8 KB by default).";
			case 413, 414, 431 -> "The request is larger than this server accepts.";
			default -> (status >= 500) ? "The request could not be completed because of an internal error."
					: "The request was refused before reaching the API.";
		};
		return (reason != null && status < 500) ? detail + " (" + reason + ")" : detail;
	}

	/**
	 * Tomcat's reason without what it quotes of the request, when that is short plain
	 * text naming no Java type; else null.
	 */
	private static String reason(Response response, Throwable throwable) {
		String message = response.getMessage();
		if ((message == null || message.isBlank()) && throwable != null) {
			message = throwable.getMessage();
		}
		if (message == null) {
			return null;
		}
		String firstLine = message.lines()
			.findFirst()
			.orElse("")
			.replaceAll("\\s*\\[[^\\]]*]", "")
			.replaceAll("[\\s:]+$", "")
			.strip();
		return (PLAIN.matcher(firstLine).matches() && !firstLine.contains("Exception") && !firstLine.contains("java."))
				? firstLine : null;
	}

}
