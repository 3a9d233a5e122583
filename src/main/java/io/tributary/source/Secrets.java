package io.tributary.source;

import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Redacts secrets an upstream embeds in its payloads (Zylon's
 * {@code pgpt.mcp_servers[].authorization_token}, and anything named like a token,
 * secret, password, credential, API key or authorization) before a payload is stored or
 * returned. Token counts ({@code input_tokens}, {@code max_tokens}) are not secrets and
 * stay.
 */
public final class Secrets {

	static final String REDACTED = "[redacted]";

	private static final Pattern SECRET_KEY = Pattern.compile(
			"(?i).*(token|secret|passw(or)?d|authorization|credential|api[_-]?key|access[_-]?key|private[_-]?key|cookie)");

	private Secrets() {
	}

	/**
	 * A copy of {@code node} with every secret-named field's value replaced by
	 * {@code "[redacted]"}.
	 * @param node an upstream JSON value
	 * @return the redacted copy
	 */
	public static JsonNode redact(JsonNode node) {
		if (node == null) {
			return null;
		}
		JsonNode copy = node.deepCopy();
		redactInPlace(copy);
		return copy;
	}

	static boolean isSecretName(String name) {
		return SECRET_KEY.matcher(name).matches();
	}

	private static void redactInPlace(JsonNode node) {
		if (node instanceof ObjectNode object) {
			for (Map.Entry<String, JsonNode> field : object.properties()) {
				if (isSecretName(field.getKey()) && !field.getValue().isNull()) {
					field.setValue(object.textNode(REDACTED));
				}
				else {
					redactInPlace(field.getValue());
				}
			}
		}
		else if (node instanceof ArrayNode array) {
			array.forEach(Secrets::redactInPlace);
		}
	}

}
