/**
 * Sync: the scheduler (one thin trigger per connection under a ShedLock lock), the
 * {@link SyncService} that runs a connection page by page with checkpoints and run
 * records, and the status API ({@code /api/v1/sources}, {@code /api/v1/sync-runs}).
 */
package io.tributary.sync;
