/**
 * Cross-cutting infrastructure: the embedded PostgreSQL used when no database URL is
 * configured, the JSON mapper's nesting depth, and keeping the configured secrets out of
 * the logs and Actuator.
 */
package io.tributary.config;
