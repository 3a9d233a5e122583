/**
 * Upstream sources: the connection configuration contract, the
 * {@link io.tributary.source.SourceConnector} SPI every source kind implements, and what
 * they share (HTTP clients with retries, secret stripping, personal-data rules). One
 * sub-package per kind holds that kind's HTTP interface, its DTOs mirroring the vendor
 * JSON, and its mapper; nothing outside a kind's package knows its upstream's JSON.
 */
package io.tributary.source;
