/**
 * Cross-cutting infrastructure: the embedded PostgreSQL used when no database URL is
 * configured, and keeping the configured secrets out of the logs and Actuator.
 */
package io.tributary.config;
