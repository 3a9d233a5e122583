package io.tributary.source;

import java.util.List;

import io.tributary.hygiene.SecretText;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Summarises the body of an upstream's error answer for {@code sync_run.error} and the
 * logs: never the body itself (it may echo the key, the request or other people's data),
 * only its message, the kind most APIs put in {@code detail}, {@code message} or
 * {@code error}, without anything that looks like a credential, and short.
 */
final class ErrorBodies {

	static final int MAX = 200;

	/** Where APIs put their message, most telling first. */
	private static final List<String> MESSAGE_FIELDS = List.of("detail", "message", "error_description", "error",
			"title", "msg", "code");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ErrorBodies() {
	}

	/**
	 * @param body the error answer's body
	 * @param secrets the connection's secrets
	 * @return the summary; empty when the body has no message worth keeping (empty, an
	 * HTML page, JSON without a message field)
	 */
	static String summary(String body, SecretText secrets) {
		String text = body.strip();
		if (text.isEmpty() || text.startsWith("<")) {
			return "";
		}
		String message = text;
		if (text.startsWith("{") || text.startsWith("[")) {
			try {
				message = message(JSON.readTree(text), 0);
			}
			catch (JacksonException ex) {
				message = null;
			}
		}
		return (message != null) ? secrets.summarize(message, MAX) : "";
	}

	private static String message(JsonNode node, int depth) {
		if (node == null || depth > 3) {
			return null;
		}
		if (node.isArray()) {
			return node.isEmpty() ? null : message(node.get(0), depth + 1);
		}
		if (!node.isObject()) {
			return null;
		}
		for (String field : MESSAGE_FIELDS) {
			JsonNode value = node.get(field);
			if (value == null) {
				continue;
			}
			if (value.isString() && !value.asString().isBlank()) {
				return value.asString();
			}
			String nested = message(value, depth + 1);
			if (nested != null) {
				return nested;
			}
		}
		return null;
	}

}
