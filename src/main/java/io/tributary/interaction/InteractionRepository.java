package io.tributary.interaction;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.repository.Repository;

/**
 * Reads single interactions; lists go through {@link InteractionQuery}, whose filters and
 * keyset conditions are plain SQL.
 */
interface InteractionRepository extends Repository<Interaction, UUID> {

	Optional<Interaction> findById(UUID id);

}
