package io.tributary.source;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a connector may know of the items already stored, without knowing where or how
 * they are stored: implemented by the sync side, which owns the store.
 */
public interface KnownVersions {

	/**
	 * @param connection the connection
	 * @param sourceIds upstream ids
	 * @return the stored version of each id that is stored, without its raw
	 */
	Map<String, Version> versions(String connection, Collection<String> sourceIds);

	/**
	 * The stored versions with the stored item itself: what a connector needs to carry
	 * over what only a detail call adds (messages, feedback) when it writes a listed item
	 * without that call, or to compare a listed item's content with what is stored.
	 * @param connection the connection
	 * @param sourceIds upstream ids
	 * @return the stored version of each id that is stored, with its raw; a store that
	 * cannot read it answers without (as {@link #versions})
	 */
	default Map<String, Version> withRaw(String connection, Collection<String> sourceIds) {
		return versions(connection, sourceIds);
	}

	/**
	 * @param updatedAt the stored upstream update time
	 * @param hasMessages whether messages are stored
	 * @param raw the stored item as the connector produced it (redacted, under the
	 * personal-data rule); null unless asked for with {@link #withRaw}
	 */
	record Version(Instant updatedAt, boolean hasMessages, @Nullable JsonNode raw) {

		public Version(Instant updatedAt, boolean hasMessages) {
			this(updatedAt, hasMessages, null);
		}

	}

}
