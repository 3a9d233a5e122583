package io.tributary.sync;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.interaction.WriteResult;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.SyncMode;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The sync's meters: {@code tributary.sync.runs} (a timer by connection, mode and
 * outcome), {@code tributary.sync.records} (items committed, by action), and per
 * connection the gauges {@code tributary.sync.lag}, {@code tributary.sync.progress} and
 * {@code tributary.sync.progress.expected}. Owns the progress of the runs under way in
 * this process, which the gauges and the run records read.
 */
@Component
class SyncMetrics {

	private final MeterRegistry meters;

	private final Freshness freshness;

	/** The runs under way in this process, by connection. */
	private final Map<String, RunProgress> progress = new ConcurrentHashMap<>();

	/** The connections whose gauges are registered. */
	private final Set<String> gauged = ConcurrentHashMap.newKeySet();

	SyncMetrics(MeterRegistry meters, Freshness freshness) {
		this.meters = meters;
		this.freshness = freshness;
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
		if (!this.gauged.add(name)) {
			return;
		}
		Gauge.builder("tributary.sync.lag", () -> lagSeconds(name))
			.description("Seconds since the start of the connection's last successful run (NaN before its first)")
			.baseUnit("seconds")
			.tag("connection", name)
			.register(this.meters);
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

	private double progress(String connection, boolean expected) {
		RunProgress run = this.progress.get(connection);
		if (run == null) {
			return Double.NaN;
		}
		Long value = expected ? run.expected() : Long.valueOf(run.items());
		return (value != null) ? value : Double.NaN;
	}

	/**
	 * The lag of a connection: from the start of its last successful run (what it has
	 * surely seen) to now, from the run records (any replica's runs count).
	 */
	private double lagSeconds(String connection) {
		Long lag = this.freshness.lagSeconds(connection);
		return (lag != null) ? lag : Double.NaN;
	}

}
