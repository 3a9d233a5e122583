package io.tributary.interaction;

import java.util.Collection;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import io.tributary.hygiene.KnownSecrets;

/**
 * Makes text storable and safe before it reaches PostgreSQL: U+0000, which PostgreSQL
 * refuses in {@code text} and {@code jsonb}, is dropped (the rest of the text is kept),
 * and the connection's own secrets are replaced wherever they appear (by
 * {@link KnownSecrets}, the one place that knows their forms).
 */
public final class StoredText {

	/**
	 * {@code \u0000} escapes in JSON text, but not an escaped backslash followed by
	 * "u0000": an even run of backslashes before it is kept.
	 */
	private static final Pattern JSON_NUL = Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

	private StoredText() {
	}

	/**
	 * @param text a value for a {@code text} column
	 * @return it without U+0000; null for null
	 */
	static String text(String text) {
		return (text == null || text.indexOf('\u0000') < 0) ? text : text.replace("\u0000", "");
	}

	/**
	 * @param json a value for a {@code jsonb} column, as JSON text
	 * @return it without escaped U+0000 in its strings; null for null
	 */
	static String json(String json) {
		return (json == null || !json.contains("\\u0000")) ? json : JSON_NUL.matcher(json).replaceAll("$1");
	}

	/**
	 * Replaces every occurrence of the given secrets, in every form {@link KnownSecrets}
	 * knows (raw, JSON-escaped, URL-encoded), with {@code [redacted]}. Secrets shorter
	 * than {@value KnownSecrets#MIN_LENGTH} characters are not searched for: they would
	 * match ordinary text.
	 * @param secrets values that must never be stored
	 * @return the replacing function (null-safe)
	 */
	public static UnaryOperator<String> withoutSecrets(Collection<String> secrets) {
		KnownSecrets known = KnownSecrets.of(secrets);
		return known.isEmpty() ? UnaryOperator.identity() : known::replace;
	}

	/**
	 * @param text text
	 * @param secrets values that must never be stored
	 * @return the text, storable in {@code text} and without the secrets
	 */
	public static String storableText(String text, Collection<String> secrets) {
		return text(withoutSecrets(secrets).apply(text));
	}

	/**
	 * @param json JSON text
	 * @param secrets values that must never be stored
	 * @return the JSON, storable in {@code jsonb} and without the secrets
	 */
	public static String storableJson(String json, Collection<String> secrets) {
		return json(withoutSecrets(secrets).apply(json));
	}

}
