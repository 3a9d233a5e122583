package io.tributary.interaction;

import java.util.UUID;

import org.springframework.data.repository.Repository;

/**
 * Reads single interactions; lists go through {@link InteractionQuery}, whose filters and
 * keyset conditions are plain SQL.
 */
interface InteractionRepository extends Repository<Interaction, UUID> {

	java.util.Optional<Interaction> findById(UUID id);

	long countByConnection(String connection);

}
