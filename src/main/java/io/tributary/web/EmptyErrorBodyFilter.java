package io.tributary.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Gives a problem document to error answers that have no body at all, such as Actuator's
 * 404 for a health component that does not exist: the answer is held until the handler is
 * done, and an empty 4xx or 5xx gets the problem of its status. Answers with a body, and
 * {@code sendError}s (which the error page answers), are left as they are.
 */
final class EmptyErrorBodyFilter extends OncePerRequestFilter {

	private final JsonMapper json;

	EmptyErrorBodyFilter(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HeldResponse held = new HeldResponse(response);
		try {
			chain.doFilter(request, held);
			if (held.getStatus() >= 400 && !held.errorSent && held.getContentSize() == 0 && !held.isCommitted()
					&& !HttpMethod.HEAD.matches(request.getMethod())) {
				Problems.write(held, ProblemErrorController.forStatus(held.getStatus(), request.getMethod(),
						request.getRequestURI()), this.json);
			}
		}
		finally {
			held.copyBodyToResponse();
		}
	}

	private static final class HeldResponse extends ContentCachingResponseWrapper {

		private boolean errorSent;

		HeldResponse(HttpServletResponse response) {
			super(response);
		}

		@Override
		public void sendError(int status) throws IOException {
			this.errorSent = true;
			super.sendError(status);
		}

		@Override
		public void sendError(int status, String message) throws IOException {
			this.errorSent = true;
			super.sendError(status, message);
		}

	}

}
