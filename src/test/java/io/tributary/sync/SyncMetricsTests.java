package io.tributary.sync;

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
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The sync's meters, on a registry of their own.
 */
class SyncMetricsTests {

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final SyncMetrics metrics = new SyncMetrics(this.meters, mock(Freshness.class));

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

}
