/**
 * What every feature shares and no feature owns: API spellings of enum values, the domain
 * exceptions that the web edge turns into problem documents, the signed cursor codec of
 * every keyset API, and how deep its JSON may nest. Depends on no feature package and on
 * no HTTP type.
 */
package io.tributary.common;
