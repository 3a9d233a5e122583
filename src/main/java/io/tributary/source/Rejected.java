package io.tributary.source;

import tools.jackson.databind.JsonNode;

/**
 * An upstream item that could not be mapped (no id, no creation time one can read, a
 * value of an impossible type): it does not stop its run; it is quarantined with its
 * reason, and retried whenever a later run reads it again.
 *
 * @param sourceId the upstream id, when the item has a readable one
 * @param reason why it was refused
 * @param payload the item as received, secrets redacted
 */
public record Rejected(String sourceId, String reason, JsonNode payload) {

	private static final int MAX_REASON = 500;

	/**
	 * @param node the item as received
	 * @param failure why mapping it failed
	 * @return the rejected item, its payload redacted
	 */
	public static Rejected of(JsonNode node, Throwable failure) {
		JsonNode id = (node != null) ? node.path("id") : null;
		String sourceId = (id != null && (id.isString() || id.isNumber()) && !id.asString().isBlank()) ? id.asString()
				: null;
		return new Rejected(sourceId, reason(failure), Secrets.redact(node));
	}

	private static String reason(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String text = (root instanceof IllegalArgumentException && root.getMessage() != null) ? root.getMessage()
				: root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
		text = text.replaceAll("\\s+", " ").strip();
		return (text.length() > MAX_REASON) ? text.substring(0, MAX_REASON) + "…" : text;
	}

}
