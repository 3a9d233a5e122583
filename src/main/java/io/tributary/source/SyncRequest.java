package io.tributary.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tributary.hygiene.PersonalData;
import io.tributary.source.SourcesProperties.Connection;

/**
 * What a connector needs to read one run's pages.
 *
 * @param name the connection's name
 * @param connection its shared settings
 * @param settings its kind's own settings, as {@link SourceConnector#settings} bound them
 * @param mode incremental or full
 * @param watermarks per stream, the newest upstream change a run read that stream down
 * to; a stream without one is read to its end
 * @param startedAt when the run started: the "as of" bound where an upstream takes one
 * (Flockx end_time)
 * @param resume per stream, where a stopped full run last committed a page: this run
 * reads on from there (that page again) instead of from the start
 * @param completed streams a stopped full run already read to their end: this run skips
 * them
 * @param personalData the connection's personal-data rule: every item tree goes through
 * it before it is mapped or quarantined
 * @param known what is stored of the connection's items, so an incremental run can stop
 * at a page of items it already holds unchanged ({@link Paging.StopRule}); null where
 * nothing is stored (the run then stops by time alone)
 * @param deadline when the run must end: checked between the items of a page
 * ({@link SourcePage#mapping(SyncRequest, List, java.util.function.Function)})
 */
public record SyncRequest(String name, Connection connection, Object settings, SyncMode mode,
		Map<String, Instant> watermarks, Instant startedAt, Map<String, String> resume, Set<String> completed,
		PersonalData personalData, KnownVersions known, RunDeadline deadline) {

	public SyncRequest {
		watermarks = Map.copyOf(watermarks);
		resume = Map.copyOf(resume);
		completed = Set.copyOf(completed);
		personalData = (personalData != null) ? personalData : PersonalData.KEEP;
		deadline = (deadline != null) ? deadline : RunDeadline.NONE;
	}

	/**
	 * A request without a deadline.
	 * @param name the connection's name
	 * @param connection its shared settings
	 * @param settings its kind's own settings
	 * @param mode incremental or full
	 * @param watermarks per stream
	 * @param startedAt the run's start
	 * @param resume per stream, where a stopped full run last committed a page
	 * @param completed streams a stopped full run read to their end
	 * @param personalData the connection's personal-data rule
	 * @param known what is stored of the connection's items
	 */
	public SyncRequest(String name, Connection connection, Object settings, SyncMode mode,
			Map<String, Instant> watermarks, Instant startedAt, Map<String, String> resume, Set<String> completed,
			PersonalData personalData, KnownVersions known) {
		this(name, connection, settings, mode, watermarks, startedAt, resume, completed, personalData, known,
				RunDeadline.NONE);
	}

	/**
	 * A run that starts every stream from its beginning.
	 * @param name the connection's name
	 * @param connection its shared settings
	 * @param settings its kind's own settings
	 * @param mode incremental or full
	 * @param watermarks per stream
	 * @param startedAt the run's start
	 * @param personalData the connection's personal-data rule
	 * @return the request
	 */
	public static SyncRequest fresh(String name, Connection connection, Object settings, SyncMode mode,
			Map<String, Instant> watermarks, Instant startedAt, PersonalData personalData) {
		return new SyncRequest(name, connection, settings, mode, watermarks, startedAt, Map.of(), Set.of(),
				personalData, null);
	}

	/**
	 * @param stream a stream
	 * @return the position to read on from (the page to read again), or null to start at
	 * the beginning
	 */
	public String resumeFrom(String stream) {
		return this.resume.get(stream);
	}

	/**
	 * @param stream a stream
	 * @return whether a stopped full run already read it to its end (skip it)
	 */
	public boolean isComplete(String stream) {
		return this.completed.contains(stream);
	}

	/**
	 * @param <T> the kind's settings type
	 * @param type its class
	 * @return the kind's settings
	 */
	public <T> T settings(Class<T> type) {
		return type.cast(this.settings);
	}

	/**
	 * Where an incremental run may stop reading a stream: a whole page older than this
	 * has been read before.
	 * @param stream the stream
	 * @return {@code watermark - overlap} of that stream, or null in a full run and for a
	 * stream without a watermark
	 */
	public Instant stopBefore(String stream) {
		Instant watermark = this.watermarks.get(stream);
		return (this.mode == SyncMode.FULL || watermark == null) ? null : watermark.minus(this.connection.overlap());
	}

}
