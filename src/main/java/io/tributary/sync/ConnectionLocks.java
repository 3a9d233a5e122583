package io.tributary.sync;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

import org.springframework.stereotype.Component;

/**
 * The connections' ShedLock locks, one per connection, so two processes never run one
 * connection at once. A lock is taken without waiting, for
 * {@code tributary.sync.lock-lease}, and kept alive by the lock provider while its run
 * lives (see {@code SyncConfiguration#syncLocks}).
 */
@Component
class ConnectionLocks {

	/** What a connection's lock name starts with, before the connection's name. */
	static final String PREFIX = "sync-";

	private final LockProvider locks;

	private final Duration lease;

	private final Clock clock;

	ConnectionLocks(LockProvider syncLocks, SyncProperties properties, Clock clock) {
		this.locks = syncLocks;
		this.lease = properties.lockLease();
		this.clock = clock;
	}

	/**
	 * @param connection the connection
	 * @return its lock, or empty when another run holds it
	 */
	Optional<SimpleLock> tryLock(String connection) {
		return this.locks
			.lock(new LockConfiguration(this.clock.instant(), lockName(connection), this.lease, Duration.ZERO));
	}

	/**
	 * @param connection the connection
	 * @return the name of its lock in the {@code shedlock} table; run abandonment looks
	 * for it by this name
	 */
	static String lockName(String connection) {
		return PREFIX + connection;
	}

}
