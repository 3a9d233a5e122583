package io.tributary.web;

import java.io.IOException;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tributary.interaction.ExportProperties;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The exports' share of the gateway: a permit per API key
 * ({@code tributary.export.per-key}) and one of the gateway's
 * ({@code tributary.export.max-concurrent}, the size of the exports' connection pool),
 * both held until the answer has ended. An export beyond its key's share answers 429, one
 * beyond the gateway's 503, each with {@code Retry-After}, before any database work. The
 * key is the request's authenticated principal; without one (security switched off) only
 * the gateway's share applies.
 */
final class ExportLimits extends OncePerRequestFilter {

	/** The long readers these permits guard. */
	static final String[] PATHS = { "/api/v1/interactions/export" };

	private final ExportProperties properties;

	private final JsonMapper json;

	private final Semaphore gateway;

	private final Map<String, Semaphore> keys = new ConcurrentHashMap<>();

	ExportLimits(ExportProperties properties, JsonMapper json) {
		this.properties = properties;
		this.json = json;
		this.gateway = new Semaphore(properties.maxConcurrent());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Principal principal = request.getUserPrincipal();
		String key = (principal != null) ? principal.getName() : null;
		Semaphore own = (key != null)
				? this.keys.computeIfAbsent(key, (name) -> new Semaphore(this.properties.perKey())) : null;
		if (own != null && !own.tryAcquire()) {
			refuse(response, request, HttpStatus.TOO_MANY_REQUESTS, "too-many-exports", "Too many exports",
					"API key '" + key + "' already runs " + this.properties.perKey()
							+ " exports at once (tributary.export.per-key)");
			return;
		}
		if (!this.gateway.tryAcquire()) {
			if (own != null) {
				own.release();
			}
			refuse(response, request, HttpStatus.SERVICE_UNAVAILABLE, "exports-busy", "Exports busy",
					"The gateway already runs " + this.properties.maxConcurrent()
							+ " exports at once (tributary.export.max-concurrent)");
			return;
		}
		Release release = new Release(this.gateway, own);
		boolean streaming = false;
		try {
			chain.doFilter(request, response);
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(release);
				streaming = true;
			}
		}
		finally {
			if (!streaming) {
				release.run();
			}
		}
	}

	/**
	 * @return exports running now
	 */
	int running() {
		return this.properties.maxConcurrent() - this.gateway.availablePermits();
	}

	private void refuse(HttpServletResponse response, HttpServletRequest request, HttpStatus status, String type,
			String title, String why) throws IOException {
		long retryAfter = this.properties.retryAfter().toSeconds();
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		Problems.write(
				response, Problems.of(status, type, title, null,
						why + "; retry after " + retryAfter + " s, once one has ended", request.getRequestURI()),
				this.json);
	}

	/** Gives both permits back once, when the streamed answer ends however it ends. */
	private static final class Release implements AsyncListener, Runnable {

		private final AtomicBoolean done = new AtomicBoolean();

		private final Semaphore gateway;

		private final Semaphore own;

		Release(Semaphore gateway, Semaphore own) {
			this.gateway = gateway;
			this.own = own;
		}

		@Override
		public void run() {
			if (this.done.compareAndSet(false, true)) {
				this.gateway.release();
				if (this.own != null) {
					this.own.release();
				}
			}
		}

		@Override
		public void onComplete(AsyncEvent event) {
			run();
		}

		@Override
		public void onError(AsyncEvent event) {
			run();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			// the answer completes next (onComplete)
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}

	}

}
