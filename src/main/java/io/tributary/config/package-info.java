/**
 * Cross-cutting infrastructure: the embedded PostgreSQL used when no database URL is
 * configured.
 */
package io.tributary.config;
