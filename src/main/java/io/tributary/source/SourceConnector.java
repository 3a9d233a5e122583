package io.tributary.source;

import io.tributary.interaction.SourceKind;
import reactor.core.publisher.Flux;

/**
 * Reads one source kind. The sync service picks the connector by the connection's
 * {@code type} and writes each page it emits in one transaction before asking for the
 * next; cancelling the stream stops the reading.
 */
public interface SourceConnector {

	SourceKind kind();

	/**
	 * The run's pages, newest first where the upstream allows, ending at the end of the
	 * data or, for incremental runs, after the first page wholly older than
	 * {@link SyncRequest#stopBefore()} (see {@link Paging.StopRule}: no page is requested
	 * after the last one needed).
	 * @param request the connection, mode and checkpoint
	 * @return the pages; an error ends the run as failed
	 */
	Flux<SourcePage> fetch(SyncRequest request);

}
