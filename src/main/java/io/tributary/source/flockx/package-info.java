/**
 * Flockx ({@code type: flockx}): {@code GET /interactions} with {@code end_time} pinned
 * to the run's start, {@code sort_order=desc}, page + size, {@code items} + {@code meta}
 * envelope.
 */
package io.tributary.source.flockx;
