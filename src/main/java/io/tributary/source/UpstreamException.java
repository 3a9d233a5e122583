package io.tributary.source;

import java.time.Duration;

import org.springframework.http.HttpStatusCode;

/**
 * An upstream call that failed, described without secrets: connection, method, URL path,
 * status and a short excerpt of the answer. Transient failures (timeouts, connection
 * errors, 408, 429, 5xx) are retried before they surface; the rest fail the run at once.
 */
public class UpstreamException extends RuntimeException {

	private final String connection;

	private final Integer status;

	private final boolean transientFailure;

	private final Duration retryAfter;

	UpstreamException(String connection, String message, Integer status, boolean transientFailure, Duration retryAfter,
			Throwable cause) {
		super(message, cause, false, false);
		this.connection = connection;
		this.status = status;
		this.transientFailure = transientFailure;
		this.retryAfter = retryAfter;
	}

	/**
	 * An answer with a non-2xx status. Transient: 408, 409, 429 and 5xx, unless the
	 * server says otherwise with {@code x-should-retry} (as Greenflash's SDKs honour it).
	 */
	static UpstreamException status(String connection, String request, HttpStatusCode status, Duration retryAfter,
			Boolean shouldRetry, String excerpt) {
		int code = status.value();
		boolean transientFailure = (shouldRetry != null) ? shouldRetry
				: code == 408 || code == 409 || code == 429 || status.is5xxServerError();
		String message = request + " answered " + code + (excerpt.isBlank() ? "" : ": " + excerpt);
		return new UpstreamException(connection, message, code, transientFailure, retryAfter, null);
	}

	static UpstreamException io(String connection, String request, Throwable cause) {
		return new UpstreamException(connection, request + " failed: " + describe(cause), null, true, null, cause);
	}

	/**
	 * An answer that is not the JSON the vendor documents.
	 * @param connection the connection's name
	 * @param request method and path
	 * @param cause the decoding failure
	 * @return the exception
	 */
	public static UpstreamException undecodable(String connection, String request, Throwable cause) {
		return new UpstreamException(connection,
				request + " answered a body that could not be decoded: " + describe(cause), null, false, null, cause);
	}

	UpstreamException afterAttempts(int attempts) {
		return new UpstreamException(this.connection, getMessage() + " (gave up after " + attempts + " attempts)",
				this.status, this.transientFailure, this.retryAfter, getCause());
	}

	private static String describe(Throwable cause) {
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String text = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		if (root instanceof io.netty.handler.timeout.ReadTimeoutException
				|| root instanceof java.util.concurrent.TimeoutException) {
			text = "read timeout";
		}
		return (text.length() > 300) ? text.substring(0, 300) + "…" : text;
	}

	public String connection() {
		return this.connection;
	}

	/**
	 * @return the HTTP status, or null when no answer came
	 */
	public Integer status() {
		return this.status;
	}

	public boolean isTransient() {
		return this.transientFailure;
	}

	Duration retryAfter() {
		return this.retryAfter;
	}

}
