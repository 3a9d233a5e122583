package io.tributary.source.parrot;

/**
 * {@code tributary.sources.<name>.parrot}.
 *
 * @param channel the channel to read (required)
 */
record ParrotSettings(String channel) {
}
