/**
 * Greenflash ({@code type: greenflash}): {@code GET /interactions} (bare array,
 * {@code page} + {@code limit}, {@code Link rel="next"}) and {@code GET
 * /interactions/{id}} for messages.
 */
package io.tributary.source.greenflash;
