package io.tributary.interaction;

import java.util.UUID;

import io.tributary.common.DomainException;

/**
 * No stored interaction has the requested id.
 */
class InteractionNotFound extends DomainException {

	InteractionNotFound(UUID id) {
		super(Kind.NOT_FOUND, "id", "No interaction with id " + id);
	}

}
