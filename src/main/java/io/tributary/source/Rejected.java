package io.tributary.source;

import io.tributary.hygiene.SecretText;
import io.tributary.hygiene.Secrets;
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
		String sourceId = SourcePage.id(node);
		return new Rejected(sourceId, reason(failure), Secrets.redact(node));
	}

	/**
	 * The outermost {@link IllegalArgumentException}'s message (a mapper's own words,
	 * such as "'x' is not a timestamp"), else the root cause, without the data its
	 * message quotes (a parser's {@code from String "…"}); either without anything that
	 * looks like a credential.
	 */
	private static String reason(Throwable failure) {
		Throwable root = failure;
		String own = null;
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (own == null && cause instanceof IllegalArgumentException && cause.getMessage() != null) {
				own = cause.getMessage();
			}
			root = cause;
		}
		String text = (own != null) ? own : root.getClass().getSimpleName()
				+ ((root.getMessage() != null) ? ": " + SecretText.withoutQuotedValues(root.getMessage()) : "");
		return SecretText.none().summarize(text, MAX_REASON);
	}

}
