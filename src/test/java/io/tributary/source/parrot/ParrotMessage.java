package io.tributary.source.parrot;

import java.time.Instant;

/**
 * One item of Parrot's list, field for field.
 *
 * @param id its id
 * @param asked the user's question
 * @param answered the answer
 * @param at when it was asked
 */
record ParrotMessage(String id, String asked, String answered, Instant at) {
}
