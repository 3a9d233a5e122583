package io.tributary.sync;

import io.tributary.common.DomainException;

/**
 * No sync run has the requested id.
 */
class RunNotFound extends DomainException {

	RunNotFound(long id) {
		super(Kind.NOT_FOUND, "id", "No sync run with id " + id);
	}

}
