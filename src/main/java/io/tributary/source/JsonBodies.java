package io.tributary.source;

import io.tributary.hygiene.SecretText;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/**
 * Tells whether an answer's body is one whole JSON value, without building it: a body cut
 * off mid-way, an empty body, or trailing garbage is reported.
 */
final class JsonBodies {

	private static final JsonFactory FACTORY = new JsonFactory();

	private static final int EXCERPT = 120;

	private JsonBodies() {
	}

	/**
	 * @param body the body as received
	 * @return what is wrong with it, or null when it is one well-formed JSON value
	 */
	static String problem(String body) {
		if (body.isBlank()) {
			return "the body is empty";
		}
		try (JsonParser parser = FACTORY.createParser(tools.jackson.core.ObjectReadContext.empty(), body)) {
			if (parser.nextToken() == null) {
				return "the body is empty";
			}
			parser.skipChildren();
			if (parser.nextToken() != null) {
				return "more than one JSON value";
			}
			return null;
		}
		catch (StreamReadException ex) {
			// the parser quotes what it found: that is the body, and stays out
			String message = (ex.getOriginalMessage() != null) ? SecretText.withoutQuotedValues(ex.getOriginalMessage())
					: ex.getClass().getSimpleName();
			return (message.length() > EXCERPT) ? message.substring(0, EXCERPT) + "…" : message;
		}
	}

}
