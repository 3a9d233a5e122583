package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.interaction.WriteResult;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.SyncMode;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The sync's meters: {@code tributary.sync.runs} (a timer by connection, mode and
 * outcome), {@code tributary.sync.records} (items committed, by action), and per
 * connection the gauges {@code tributary.sync.progress} and
 * {@code tributary.sync.progress.expected} (this process's run under way), and those read
 * from the run records, as {@link Freshness} and {@link FullPasses} decide them for the
 * health and the sources API: {@code tributary.sync.lag},
 * {@code tributary.sync.last.success.timestamp}, {@code tributary.sync.stale},
 * {@code tributary.sync.pass.start.time}, {@code tributary.sync.pass.runs} and
 * {@code tributary.sync.pass.failures}. Those are read once per connection for all of
 * them, and kept for {@code tributary.health.cache-ttl}, so a scrape (anyone's with scope
 * {@code operate}) reads the run records once per connection at most. Owns the progress
 * of the runs under way in this process, which the gauges and the run records read.
 */
@Component
class SyncMetrics {

	private final MeterRegistry meters;

	private final Freshness freshness;

	private final FullPasses passes;

	private final Duration keepFor;

	/** The runs under way in this process, by connection. */
	private final Map<String, RunProgress> progress = new ConcurrentHashMap<>();

	/** The connections whose gauges are registered, and what those read. */
	private final Map<String, Kept<Reading>> gauged = new ConcurrentHashMap<>();

	SyncMetrics(MeterRegistry meters, Freshness freshness, @Qualifier(SyncConfiguration.API) FullPasses passes,
			HealthProperties health) {
		this.meters = meters;
		this.freshness = freshness;
		this.passes = passes;
		this.keepFor = health.cacheTtl();
	}

	/**
	 * A run of the connection begins in this process: its gauges exist and read its
	 * progress from now on.
	 * @param connection the connection
	 * @param mode the run's mode
	 * @return the run's progress, to count its committed pages in
	 */
	RunProgress begin(ConfiguredConnection connection, SyncMode mode) {
		RunProgress run = new RunProgress(mode);
		this.progress.put(connection.name(), run);
		gauges(connection);
		return run;
	}

	/**
	 * The connection's run has ended.
	 * @param sample the timer sample started with the run
	 * @param connection the connection
	 * @param mode the run's mode
	 * @param outcome succeeded, failed or interrupted
	 */
	void end(Timer.Sample sample, String connection, SyncMode mode, String outcome) {
		this.progress.remove(connection);
		sample.stop(this.meters.timer("tributary.sync.runs", "connection", connection, "mode", mode.apiValue(),
				"outcome", outcome));
	}

	/**
	 * @return a sample to time a run with
	 */
	Timer.Sample startTimer() {
		return Timer.start(this.meters);
	}

	/**
	 * Counts a committed page's items by what happened to them.
	 * @param connection the connection
	 * @param written what the writer did; null when nothing was written
	 * @param rejected items quarantined
	 */
	void committed(String connection, @Nullable WriteResult written, int rejected) {
		if (written != null) {
			records(connection, "inserted", written.inserted());
			records(connection, "updated", written.updated());
			records(connection, "unchanged", written.unchanged());
		}
		records(connection, "rejected", rejected);
	}

	/**
	 * @param connection the connection
	 * @param count rows marked deleted
	 */
	void deleted(String connection, int count) {
		records(connection, "deleted", count);
	}

	private void records(String connection, String action, int count) {
		Counter.builder("tributary.sync.records")
			.description("Items a sync committed, by what happened to them")
			.tags("connection", connection, "action", action)
			.register(this.meters)
			.increment(count);
	}

	/**
	 * Registers the connection's gauges, once: they read the run under way by the
	 * connection's name (Micrometer warns when a gauge is registered again).
	 */
	void gauges(ConfiguredConnection connection) {
		String name = connection.name();
		Kept<Reading> reading = new Kept<>(() -> read(connection), this.keepFor, System::nanoTime);
		if (this.gauged.putIfAbsent(name, reading) != null) {
			return;
		}
		gauge("tributary.sync.lag", name, "seconds", reading, Reading::lagSeconds,
				"Seconds since the start of the connection's last successful run (NaN before its first)");
		gauge("tributary.sync.last.success.timestamp", name, "seconds", reading, Reading::lastSuccess,
				"When the connection's last successful run ended, in seconds since the epoch (NaN before its first)");
		gauge("tributary.sync.stale", name, null, reading, Reading::stale,
				"1 while the connection is stale (enabled, and no run succeeded within 3 poll intervals: "
						+ "its health is OUT_OF_SERVICE), else 0");
		gauge("tributary.sync.pass.start.time", name, "seconds", reading, Reading::passStart,
				"When the connection's open full pass began, in seconds since the epoch (NaN when none is open)");
		gauge("tributary.sync.pass.runs", name, null, reading, Reading::passRuns,
				"Runs (slices) the connection's open full pass has had (0 when none is open)");
		gauge("tributary.sync.pass.failures", name, null, reading, Reading::passFailures,
				"How many of the open full pass's latest runs failed in a row (0 when none is open); "
						+ "from 1 on, the pass backs off");
		Gauge.builder("tributary.sync.progress", () -> progress(name, false))
			.description("Items the connection's run under way in this process has committed (NaN when none)")
			.baseUnit("items")
			.tag("connection", name)
			.register(this.meters);
		Gauge.builder("tributary.sync.progress.expected", () -> progress(name, true))
			.description("Items the connection's full run under way in this process expects in all, where the "
					+ "upstream reports a total (NaN otherwise)")
			.baseUnit("items")
			.tag("connection", name)
			.register(this.meters);
	}

	private void gauge(String meter, String connection, @Nullable String unit, Kept<Reading> reading,
			ToDoubleFunction<Reading> value, String description) {
		Gauge.builder(meter, () -> value.applyAsDouble(reading.get()))
			.description(description)
			.baseUnit(unit)
			.tag("connection", connection)
			.register(this.meters);
	}

	private double progress(String connection, boolean expected) {
		RunProgress run = this.progress.get(connection);
		if (run == null) {
			return Double.NaN;
		}
		Long value = expected ? run.expected() : Long.valueOf(run.items());
		return (value != null) ? value : Double.NaN;
	}

	/**
	 * What the run records say of a connection now (any replica's runs count), on the
	 * database's clock.
	 */
	private Reading read(ConfiguredConnection connection) {
		Freshness.State state = this.freshness.of(connection);
		PassStatus pass = this.passes.status(connection);
		Instant lastSuccess = state.lastSuccessAt();
		boolean open = pass.startedAt() != null;
		return new Reading((state.lagSeconds() != null) ? state.lagSeconds() : Double.NaN,
				(lastSuccess != null) ? seconds(lastSuccess) : Double.NaN, state.stale() ? 1 : 0,
				open ? seconds(pass.startedAt()) : Double.NaN, open ? pass.runs() : 0, open ? pass.failures() : 0);
	}

	private static double seconds(Instant instant) {
		return instant.getEpochSecond() + instant.getNano() / 1e9;
	}

	/**
	 * A connection's gauges read from its run records, at one moment.
	 *
	 * @param lagSeconds since its last successful run started; NaN before the first
	 * @param lastSuccess when that run ended (epoch seconds); NaN before the first
	 * @param stale 1 when stale, else 0
	 * @param passStart when its open full pass began (epoch seconds); NaN when none
	 * @param passRuns the open pass's runs; 0 when none
	 * @param passFailures its latest runs that failed in a row; 0 when none
	 */
	private record Reading(double lagSeconds, double lastSuccess, double stale, double passStart, double passRuns,
			double passFailures) {
	}

}
