package io.tributary.interaction;

import java.io.IOException;
import java.time.Duration;

/**
 * An export cut off because its client took none of it for the idle timeout: its
 * transaction and connection are released; the client is not waiting for an answer.
 */
public final class ExportReaderStalled extends IOException {

	ExportReaderStalled(Duration idleTimeout) {
		super("The client took no part of the export for " + idleTimeout.toMillis()
				+ " ms (tributary.export.idle-timeout); the export is cut off");
	}

}
