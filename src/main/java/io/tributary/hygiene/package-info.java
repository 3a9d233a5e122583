/**
 * Ingest hygiene: what is done to upstream data and free text before it is stored, logged
 * or returned, the same way for every source kind. Secret redaction (by field name, in
 * URLs, and of known secret values), personal-data rules, and reading timestamps and text
 * parts. Depends on no feature package.
 */
package io.tributary.hygiene;
