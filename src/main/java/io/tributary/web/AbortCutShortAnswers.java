package io.tributary.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An answer that fails after part of it was sent (an export cut off or failing midway)
 * cannot be answered with a problem any more, and must not end as a whole one would: the
 * failure reaches Tomcat as a client abort, which drops the connection without the last
 * chunk, so the client sees a broken body, never a short one that looks complete. What
 * went wrong is logged where it happened ({@link ProblemAdvice}).
 */
final class AbortCutShortAnswers extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			if (!response.isCommitted() || ex instanceof ClientAbortException) {
				throw ex;
			}
			throw new ClientAbortException(ex);
		}
	}

}
