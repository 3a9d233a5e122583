/**
 * The unified interaction model: its table, the batch writer connectors feed, and the
 * read API ({@code /api/v1/interactions}) with filters and keyset pagination.
 */
package io.tributary.interaction;
