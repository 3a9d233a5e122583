package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.SyncMode;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The sync's meters, on a registry of their own.
 */
class SyncMetricsTests {

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final Freshness freshness = mock(Freshness.class);

	private final FullPasses passes = mock(FullPasses.class);

	private final SyncMetrics metrics = new SyncMetrics(this.meters, this.freshness, this.passes,
			new HealthProperties(Duration.ZERO));

	@Test
	void eachRunReadsTheConnectionsGaugesWhichAreRegisteredOnce() {
		// Micrometer warns of a double registration once per JVM, then at DEBUG: every
		// level is captured
		ListAppender<ILoggingEvent> warnings = new ListAppender<>();
		Logger micrometer = (Logger) LoggerFactory.getLogger(MeterRegistry.class);
		Level level = micrometer.getLevel();
		micrometer.setLevel(Level.TRACE);
		micrometer.addAppender(warnings);
		warnings.start();
		ConfiguredConnection connection = mock(ConfiguredConnection.class);
		when(connection.name()).thenReturn("metrics-1");

		RunProgress first = this.metrics.begin(connection, SyncMode.FULL);
		first.committed(3);
		assertThat(this.meters.get("tributary.sync.progress").tag("connection", "metrics-1").gauge().value())
			.isEqualTo(3.0);
		this.metrics.end(Timer.start(this.meters), "metrics-1", SyncMode.FULL, "succeeded");
		RunProgress second = this.metrics.begin(connection, SyncMode.INCREMENTAL);
		second.committed(1);
		this.metrics.gauges(connection);

		assertThat(this.meters.get("tributary.sync.progress").tag("connection", "metrics-1").gauge().value())
			.as("the second run's")
			.isEqualTo(1.0);
		micrometer.detachAppender(warnings);
		micrometer.setLevel(level);
		assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage)
			.noneMatch((message) -> message.contains("already registered"));
	}

	@Test
	void theRunRecordGaugesTellWhatHealthTellsOnTheirPrometheusScale() {
		ConfiguredConnection connection = mock(ConfiguredConnection.class);
		when(connection.name()).thenReturn("metrics-2");
		Instant started = Instant.parse("2026-03-01T10:00:00Z");
		Instant ended = Instant.parse("2026-03-01T10:00:07.250Z");
		SyncRun success = new SyncRun(7, "metrics-2", SyncMode.INCREMENTAL, started, ended, "succeeded", 1, 1, 1, 0, 0,
				0, 0, null, null, null, null);
		when(this.freshness.of(connection)).thenReturn(new Freshness.State("failing", true, false, null, success, 1200L,
				Duration.ofMinutes(15), "GET / answered 500"));
		Instant passStarted = Instant.parse("2026-03-01T09:00:00Z");
		when(this.passes.status(connection))
			.thenReturn(new PassStatus("backing-off", 5L, passStarted, 4, 2, "GET / answered 500", ended));
		this.metrics.gauges(connection);

		assertThat(gauge("tributary.sync.lag")).isEqualTo(1200.0);
		assertThat(gauge("tributary.sync.last.success.timestamp")).as("when the run ended, in seconds")
			.isEqualTo(ended.getEpochSecond() + 0.25);
		assertThat(gauge("tributary.sync.stale")).isEqualTo(1.0);
		assertThat(gauge("tributary.sync.pass.start.time")).isEqualTo(passStarted.getEpochSecond());
		assertThat(gauge("tributary.sync.pass.runs")).isEqualTo(4.0);
		assertThat(gauge("tributary.sync.pass.failures")).isEqualTo(2.0);

		when(this.freshness.of(connection))
			.thenReturn(new Freshness.State("pending", false, false, null, null, null, Duration.ofMinutes(15), null));
		when(this.passes.status(connection)).thenReturn(new PassStatus("idle", null, null, 0, 0, null, null));
		assertThat(gauge("tributary.sync.lag")).as("before the first success").isNaN();
		assertThat(gauge("tributary.sync.last.success.timestamp")).isNaN();
		assertThat(gauge("tributary.sync.stale")).isZero();
		assertThat(gauge("tributary.sync.pass.start.time")).as("no pass open").isNaN();
		assertThat(gauge("tributary.sync.pass.runs")).isZero();
		assertThat(gauge("tributary.sync.pass.failures")).isZero();
	}

	@Test
	void aScrapeReadsEachConnectionsRunRecordsOnceForAllItsGauges() {
		SyncMetrics kept = new SyncMetrics(this.meters, this.freshness, this.passes,
				new HealthProperties(Duration.ofSeconds(5)));
		ConfiguredConnection connection = mock(ConfiguredConnection.class);
		when(connection.name()).thenReturn("metrics-3");
		when(this.freshness.of(any()))
			.thenReturn(new Freshness.State("pending", false, false, null, null, null, Duration.ofMinutes(15), null));
		when(this.passes.status(any())).thenReturn(new PassStatus("idle", null, null, 0, 0, null, null));
		kept.gauges(connection);

		this.meters.find("tributary.sync.lag").tag("connection", "metrics-3").gauge().value();
		this.meters.find("tributary.sync.stale").tag("connection", "metrics-3").gauge().value();
		this.meters.find("tributary.sync.pass.failures").tag("connection", "metrics-3").gauge().value();

		verify(this.freshness, times(1)).of(connection);
		verify(this.passes, times(1)).status(connection);
	}

	private double gauge(String name) {
		return this.meters.get(name).tag("connection", "metrics-2").gauge().value();
	}

}
