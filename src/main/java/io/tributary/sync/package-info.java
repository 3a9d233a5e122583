/**
 * Sync: the scheduler (one thin trigger per connection), {@link SyncService} (the entry:
 * trigger, schedule, connection locks, lifecycle), the run in parts in the manner of a
 * batch step ({@link SyncRunner} with {@link StartingPoints}, {@link PageLoop},
 * {@link PageRules}, {@link PageCommitter}, {@link DeletionReconciler},
 * {@link Renormalizer}, {@link SyncMetrics}, {@link RunErrors}), the stores of runs,
 * streams, rejects and deletions, and the status API ({@code /api/v1/sources},
 * {@code /api/v1/sync-runs}).
 */
package io.tributary.sync;
