package io.tributary.source;

import java.time.Instant;

import io.tributary.source.SourcesProperties.Connection;

/**
 * What a connector needs to read one run's pages.
 *
 * @param name the connection's name
 * @param connection its shared settings
 * @param settings its kind's own settings, as {@link SourceConnector#settings} bound them
 * @param mode incremental or full
 * @param watermark newest upstream change committed by the last complete run; null before
 * the first
 * @param startedAt when the run started: the "as of" bound where an upstream takes one
 * (Flockx end_time)
 */
public record SyncRequest(String name, Connection connection, Object settings, SyncMode mode, Instant watermark,
		Instant startedAt) {

	/**
	 * @param <T> the kind's settings type
	 * @param type its class
	 * @return the kind's settings
	 */
	public <T> T settings(Class<T> type) {
		return type.cast(this.settings);
	}

	/**
	 * Where an incremental run may stop: a whole page older than this has been read
	 * before.
	 * @return {@code watermark - overlap}, or null when the run must read everything
	 */
	public Instant stopBefore() {
		return (this.mode == SyncMode.FULL || this.watermark == null) ? null
				: this.watermark.minus(this.connection.overlap());
	}

}
