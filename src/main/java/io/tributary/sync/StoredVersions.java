package io.tributary.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import io.tributary.interaction.StoredInteractions;
import io.tributary.source.KnownVersions;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Tells connectors what is stored, from the interaction table that sync writes.
 */
@Component
class StoredVersions implements KnownVersions {

	private final StoredInteractions stored;

	private final JsonMapper json;

	StoredVersions(StoredInteractions stored, JsonMapper json) {
		this.stored = stored;
		this.json = json;
	}

	@Override
	public Map<String, Version> versions(String connection, Collection<String> sourceIds) {
		return read(connection, sourceIds, false);
	}

	@Override
	public Map<String, Version> withRaw(String connection, Collection<String> sourceIds) {
		return read(connection, sourceIds, true);
	}

	private Map<String, Version> read(String connection, Collection<String> sourceIds, boolean withRaw) {
		Map<String, Version> versions = new HashMap<>();
		this.stored.versions(connection, sourceIds, withRaw)
			.forEach((id, stored) -> versions.put(id, new Version(stored.updatedAt(), stored.hasMessages(),
					(stored.raw() != null) ? this.json.readTree(stored.raw()) : null)));
		return versions;
	}

}
