package io.tributary.source;

import java.time.Instant;

import io.tributary.source.SourcesProperties.Connection;

import reactor.core.publisher.Flux;

/**
 * A connection as checked at start-up: its shared settings (base URL resolved), the
 * connector of its kind, and that kind's own settings.
 *
 * @param name the connection's name
 * @param connection its shared settings
 * @param connector the connector of its kind
 * @param settings its kind's own settings, as the connector bound them
 */
public record ConfiguredConnection(String name, Connection connection, SourceConnector connector, Object settings) {

	/**
	 * Reads one run's pages.
	 * @param mode incremental or full
	 * @param watermark the checkpoint; null before the first complete run
	 * @param startedAt the run's start
	 * @return the pages
	 */
	public Flux<SourcePage> fetch(SyncMode mode, Instant watermark, Instant startedAt) {
		return this.connector
			.fetch(new SyncRequest(this.name, this.connection, this.settings, mode, watermark, startedAt));
	}

	public SourceKind kind() {
		return this.connector.kind();
	}

}
