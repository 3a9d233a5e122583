/**
 * Parrot ({@code type: parrot}), a made-up fourth source kind that lives only in the test
 * sources: it proves that a kind is one package plus configuration. It is registered only
 * by the test that imports its connector.
 */
package io.tributary.source.parrot;
