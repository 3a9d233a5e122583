/**
 * The browser console served at {@code /}: a client of the public API like any other,
 * whose files are {@code static/index.html} and {@code static/console/*}. This package
 * holds only what the page may learn before it has a key: whether one is needed, and the
 * documented demo key when the demo profile configures it.
 */
package io.tributary.console;
