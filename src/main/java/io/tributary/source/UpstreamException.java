package io.tributary.source;

import java.time.Duration;

import io.tributary.hygiene.SecretText;

import org.springframework.http.HttpStatusCode;

/**
 * An upstream call that failed, described without secrets: connection, method, URL path,
 * status and a summary of the answer's message (never the body itself; data a parser
 * quotes is left out). Transient failures (timeouts, connection errors, 408, 429, 5xx)
 * are retried before they surface; the rest fail the run at once.
 */
public class UpstreamException extends RuntimeException {

	private final Integer status;

	private final boolean transientFailure;

	private final Duration retryAfter;

	UpstreamException(String message, Integer status, boolean transientFailure, Duration retryAfter, Throwable cause) {
		super(message, cause, false, false);
		this.status = status;
		this.transientFailure = transientFailure;
		this.retryAfter = retryAfter;
	}

	/**
	 * An answer with a non-2xx status. Transient: 408, 409, 429 and 5xx, unless the
	 * server says otherwise with {@code x-should-retry} (as Greenflash's SDKs honour it).
	 */
	static UpstreamException status(String request, HttpStatusCode status, Duration retryAfter, Boolean shouldRetry,
			String excerpt) {
		int code = status.value();
		boolean transientFailure = (shouldRetry != null) ? shouldRetry
				: code == 408 || code == 409 || code == 429 || status.is5xxServerError();
		String message = request + " answered " + code + (excerpt.isBlank() ? "" : ": " + excerpt);
		return new UpstreamException(message, code, transientFailure, retryAfter, null);
	}

	static UpstreamException io(String request, Throwable cause) {
		return new UpstreamException(request + " failed: " + describe(cause), null, true, null, cause);
	}

	/**
	 * A 2xx answer whose body is cut off or not well-formed JSON: transient, like a reset
	 * connection, so it is retried.
	 * @param request method and path
	 * @param problem what is wrong with it
	 * @return the exception
	 */
	static UpstreamException malformed(String request, String problem) {
		return new UpstreamException(request + " answered a truncated or malformed body: " + problem, null, true, null,
				null);
	}

	/**
	 * A 2xx answer past one of the connection's limits (its size, its JSON tokens, its
	 * depth) or one the gateway refuses to hold (more items than a page asked for): not
	 * transient, since the same request would bring the same answer.
	 * @param request method and path
	 * @param what what the answer was, naming the limit
	 * @return the exception
	 */
	public static UpstreamException refused(String request, String what) {
		return new UpstreamException(request + " answered " + what + "; refused", null, false, null, null);
	}

	/**
	 * An answer that is not the JSON the vendor documents.
	 * @param request method and path
	 * @param cause the decoding failure
	 * @return the exception
	 */
	public static UpstreamException undecodable(String request, Throwable cause) {
		return new UpstreamException(request + " answered a body that could not be decoded: "
				+ SecretText.withoutQuotedValues(describe(cause)), null, false, null, cause);
	}

	UpstreamException afterAttempts(int attempts) {
		return new UpstreamException(getMessage() + " (gave up after " + attempts + " attempts)", this.status,
				this.transientFailure, this.retryAfter, getCause());
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
		return SecretText.none().summarize(text, 300);
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
