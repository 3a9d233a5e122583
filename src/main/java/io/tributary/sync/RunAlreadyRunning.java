package io.tributary.sync;

import io.tributary.common.DomainException;

/**
 * A run was asked for while the connection is already running one, here or in another
 * process.
 */
class RunAlreadyRunning extends DomainException {

	RunAlreadyRunning(String connection) {
		super(Kind.CONFLICT, null, "Connection '" + connection
				+ "' is already running a sync (see GET /api/v1/sync-runs?connection=" + connection + ")");
	}

	RunAlreadyRunning(String connection, String why) {
		super(Kind.CONFLICT, null, "Connection '" + connection + "' cannot start a sync now: " + why);
	}

}
