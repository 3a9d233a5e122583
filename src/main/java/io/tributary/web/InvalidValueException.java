package io.tributary.web;

/**
 * Thrown by this package's converters: its message says what the value should have been
 * and is shown to the client as is.
 */
class InvalidValueException extends IllegalArgumentException {

	InvalidValueException(String message) {
		super(message);
	}

}
