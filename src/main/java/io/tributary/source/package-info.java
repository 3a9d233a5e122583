/**
 * Upstream sources: the connection configuration contract, the
 * {@link io.tributary.source.SourceConnector} SPI every source kind implements, and what
 * they share (HTTP clients with retries, error summaries, the start-up check of each
 * connection's settings; redaction and personal-data rules are {@code hygiene}'s). One
 * sub-package per kind holds that kind's HTTP interface, its DTOs mirroring the vendor
 * JSON, and its mapper; nothing outside a kind's package knows its upstream's JSON.
 */
package io.tributary.source;
