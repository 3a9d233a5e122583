package io.tributary.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import io.tributary.interaction.StoredInteractions;
import io.tributary.source.KnownVersions;

import org.springframework.stereotype.Component;

/**
 * Tells connectors what is stored, from the interaction table that sync writes.
 */
@Component
class StoredVersions implements KnownVersions {

	private final StoredInteractions stored;

	StoredVersions(StoredInteractions stored) {
		this.stored = stored;
	}

	@Override
	public Map<String, Version> versions(String connection, Collection<String> sourceIds) {
		Map<String, Version> versions = new HashMap<>();
		this.stored.versions(connection, sourceIds)
			.forEach((id, stored) -> versions.put(id, new Version(stored.updatedAt(), stored.hasMessages())));
		return versions;
	}

}
