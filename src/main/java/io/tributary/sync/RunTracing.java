package io.tributary.sync;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.tributary.source.ConfiguredConnection;
import org.slf4j.MDC;

import org.springframework.stereotype.Component;

/**
 * Puts each run in a trace of its own: every line it logs carries the trace id, and the
 * MDC names its connection ({@code connection}) and run ({@code syncRun}).
 */
@Component
class RunTracing {

	private final Tracer tracer;

	RunTracing(Tracer tracer) {
		this.tracer = tracer;
	}

	/**
	 * @param connection the run's connection
	 * @param id the run
	 * @param run what to do in its trace
	 */
	void traced(ConfiguredConnection connection, long id, Runnable run) {
		Span span = this.tracer.nextSpan().name("sync run").tag("connection", connection.name()).start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span);
				MDC.MDCCloseable named = MDC.putCloseable("connection", connection.name());
				MDC.MDCCloseable runId = MDC.putCloseable("syncRun", Long.toString(id))) {
			run.run();
		}
		finally {
			span.end();
		}
	}

}
