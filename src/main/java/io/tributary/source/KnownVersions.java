package io.tributary.source;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * What a connector may know of the items already stored, without knowing where or how
 * they are stored: implemented by the sync side, which owns the store.
 */
public interface KnownVersions {

	/**
	 * @param connection the connection
	 * @param sourceIds upstream ids
	 * @return the stored version of each id that is stored
	 */
	Map<String, Version> versions(String connection, Collection<String> sourceIds);

	/**
	 * @param updatedAt the stored upstream update time
	 * @param hasMessages whether messages are stored
	 */
	record Version(Instant updatedAt, boolean hasMessages) {
	}

}
