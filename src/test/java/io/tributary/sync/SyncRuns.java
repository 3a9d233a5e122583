package io.tributary.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.SourceConnector;
import io.tributary.source.SyncMode;
import io.tributary.source.TestConnections;

import org.springframework.core.task.SyncTaskExecutor;

/**
 * The sync tests' harness: connections of any registered kind, configured from property
 * pairs (usually pointed at a WireMock upstream), run synchronously exactly as the
 * scheduler would: a recorded run, under its connection's lock (a run without one counts
 * as abandoned). A bean of every {@code @IntegrationTest} context.
 */
public class SyncRuns {

	private final SyncService sync;

	private final SyncRunStore runs;

	private final List<SourceConnector> connectors;

	private final ConnectionLocks locks;

	private final SyncRunner runner;

	private final RunTracing tracing;

	private final SyncMetrics metrics;

	private final FullPasses passes;

	private final SyncProperties properties;

	SyncRuns(SyncService sync, SyncRunStore runs, List<SourceConnector> connectors, ConnectionLocks locks,
			SyncRunner runner, RunTracing tracing, SyncMetrics metrics, FullPasses passes, SyncProperties properties) {
		this.sync = sync;
		this.runs = runs;
		this.connectors = connectors;
		this.locks = locks;
		this.runner = runner;
		this.tracing = tracing;
		this.metrics = metrics;
		this.passes = passes;
		this.properties = properties;
	}

	/**
	 * @param kind the kind's name
	 * @param name the connection's name
	 * @param mode the run's mode
	 * @param properties pairs of property (relative to the connection) and value
	 * @return the finished run
	 */
	SyncRun run(String kind, String name, SyncMode mode, String... properties) {
		ConfiguredConnection connection = configured(kind, name, properties);
		return locked(name, () -> {
			long id = this.runs.start(name, mode).orElseThrow();
			this.sync.execute(id, connection, mode);
			return this.runs.find(id).orElseThrow();
		});
	}

	private ConfiguredConnection configured(String kind, String name, String... properties) {
		return TestConnections.configured(connector(kind), name, properties);
	}

	private SourceConnector connector(String kind) {
		return this.connectors.stream()
			.filter((candidate) -> candidate.kind().name().equals(kind))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * A poll, as the scheduler makes it, of a gateway configured with this one
	 * connection: its incremental run, then a slice of its pass when one is due.
	 * @return the runs it made, oldest first
	 */
	private List<SyncRun> poll(String kind, String name, String... properties) {
		Long before = this.runs.latest(name).map(SyncRun::id).orElse(0L);
		new SyncService(TestConnections.connections(connector(kind), name, properties), this.runs, this.locks,
				this.runner, this.tracing, new SyncTaskExecutor(), this.metrics, this.passes, this.properties)
			.runScheduled(name);
		return this.runs.list(name, null, null, 10)
			.stream()
			.filter((run) -> run.id() > before)
			.sorted((a, b) -> Long.compare(a.id(), b.id()))
			.toList();
	}

	/**
	 * @param kind the kind's name
	 * @param name the connection's name
	 * @param mode the run's mode
	 * @param slice how long it may read before it pauses
	 * @param properties pairs of property (relative to the connection) and value
	 * @return the finished run
	 */
	private SyncRun runSliced(String kind, String name, SyncMode mode, Duration slice, String... properties) {
		ConfiguredConnection connection = configured(kind, name, properties);
		return locked(name, () -> {
			long id = this.runs.start(name, mode).orElseThrow();
			this.sync.execute(id, connection, mode, slice);
			return this.runs.find(id).orElseThrow();
		});
	}

	private SyncRun locked(String name, java.util.function.Supplier<SyncRun> run) {
		net.javacrumbs.shedlock.core.SimpleLock lock = this.locks.tryLock(name)
			.orElseThrow(() -> new IllegalStateException("connection '" + name + "' is locked"));
		try {
			return run.get();
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * @param name the connection's name
	 * @param kind the kind's name
	 * @param properties pairs of property and value
	 * @return where the connection's full pass stands
	 */
	private PassStatus pass(String kind, String name, String... properties) {
		return this.passes.status(configured(kind, name, properties));
	}

	/**
	 * @param upstream the WireMock server that plays the upstream
	 * @param kind the kind's name
	 * @param apiKey the connection's key
	 * @param settings pairs of property and value every run of it has
	 * @return connections of that kind whose {@code base-url} is the upstream's
	 * {@code /api/v1}
	 */
	Connection at(WireMockExtension upstream, String kind, String apiKey, String... settings) {
		List<String> properties = new ArrayList<>(
				List.of("type", kind, "api-key", apiKey, "base-url", upstream.baseUrl() + "/api/v1"));
		return new Connection(kind, properties).with(settings);
	}

	/**
	 * Counts the requests an upstream received. WireMock journals a request only once its
	 * answer is written, which can be after the client has read it (wiremock#574), so a
	 * count taken right after a run may miss its last calls: this one is taken once the
	 * journal has stopped growing for a moment.
	 * @param upstream the WireMock server
	 * @param pattern which requests
	 * @return how many it received
	 */
	static int requests(WireMockExtension upstream, RequestPatternBuilder pattern) {
		int count = upstream.findAll(pattern).size();
		for (int settled = 0; settled < 3;) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return count;
			}
			int again = upstream.findAll(pattern).size();
			settled = (again == count) ? settled + 1 : 0;
			count = again;
		}
		return count;
	}

	/**
	 * Connections of one kind and their settings.
	 */
	final class Connection {

		private final String kind;

		private final List<String> properties;

		private Connection(String kind, List<String> properties) {
			this.kind = kind;
			this.properties = properties;
		}

		/**
		 * @param settings pairs of property and value, replacing the same property's
		 * value where it is set already
		 * @return these connections with them
		 */
		Connection with(String... settings) {
			List<String> merged = new ArrayList<>(this.properties);
			for (int i = 0; i < settings.length; i += 2) {
				int at = indexOfProperty(merged, settings[i]);
				if (at >= 0) {
					merged.set(at + 1, settings[i + 1]);
				}
				else {
					merged.add(settings[i]);
					merged.add(settings[i + 1]);
				}
			}
			return new Connection(this.kind, merged);
		}

		/**
		 * @param name the connection's name
		 * @param mode the run's mode
		 * @param settings pairs of property and value for this run only
		 * @return the finished run
		 */
		SyncRun run(String name, SyncMode mode, String... settings) {
			return SyncRuns.this.run(this.kind, name, mode, with(settings).properties.toArray(String[]::new));
		}

		/**
		 * @param name the connection's name
		 * @return the runs of a poll of it, oldest first: its incremental run, and a
		 * slice of its pass when one was due
		 */
		List<SyncRun> poll(String name) {
			return SyncRuns.this.poll(this.kind, name, this.properties.toArray(String[]::new));
		}

		/**
		 * @param name the connection's name
		 * @param mode the run's mode
		 * @param slice how long it may read before it pauses
		 * @return the finished run
		 */
		SyncRun runSliced(String name, SyncMode mode, Duration slice) {
			return SyncRuns.this.runSliced(this.kind, name, mode, slice, this.properties.toArray(String[]::new));
		}

		/**
		 * @param name the connection's name
		 * @return where its full pass stands
		 */
		PassStatus pass(String name) {
			return SyncRuns.this.pass(this.kind, name, this.properties.toArray(String[]::new));
		}

		/**
		 * @param name the connection's name
		 * @return the connection, configured as at start-up, to hand a run's parts
		 */
		ConfiguredConnection configured(String name) {
			return SyncRuns.this.configured(this.kind, name, this.properties.toArray(String[]::new));
		}

		private static int indexOfProperty(List<String> pairs, String property) {
			for (int i = 0; i < pairs.size(); i += 2) {
				if (pairs.get(i).equals(property)) {
					return i;
				}
			}
			return -1;
		}

	}

}
