/**
 * The HTTP edge shared by every API: one error path (RFC 9457 problems), strict query
 * parameters and the converters that turn parameter text into typed values with specific
 * error messages.
 */
package io.tributary.web;
