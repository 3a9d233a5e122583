package io.tributary.hygiene;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from free text: log lines, and the summaries of upstream answers and
 * driver messages that end up in {@code sync_run.error} and {@code sync_reject.reason}.
 * Where {@link Secrets} redacts a JSON tree by its field names, this works on text that
 * may hold anything:
 * <ul>
 * <li>known secret values (the configured keys), as they are, JSON-escaped or URL-encoded
 * ({@link KnownSecrets});</li>
 * <li>the value of a field, header or parameter whose name looks secret (see
 * {@link Secrets}): {@code Authorization: Token …}, {@code "api_key": "…"},
 * {@code ?token=…}, {@code x-api-key=…};</li>
 * <li>the credential after {@code Bearer}, {@code Token} or {@code Basic};</li>
 * <li>the user info of a URL ({@code https://user:password@host}).</li>
 * </ul>
 * {@link #summarize} goes further for text that came from outside.
 */
public final class SecretText {

	private static final String REDACTED = Secrets.REDACTED;

	private static final SecretText NONE = new SecretText(KnownSecrets.none());

	/**
	 * A name (of a header, field or parameter), an optional closing quote, {@code :} or
	 * {@code =}, and the first character of its value. Every quantifier is bounded, so a
	 * try costs the same at every position; where the name is secret, the value's end is
	 * found in one pass ({@link #closing}, {@link #valueEnd}): to the closing quote (or
	 * the end, when cut off), or up to two words (a scheme and a credential).
	 */
	private static final Pattern NAMED_VALUE = Pattern.compile("(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_.-]{0,63})"
			+ "([\"']?\\s{0,16}+[:=]\\s{0,16}+)([\"']|[^\\s,;&\"'\\[\\]{}()<>])");

	/** What ends an unquoted value, besides whitespace. */
	private static final String VALUE_END = ",;&\"'[]{}()<>";

	private static final Pattern AUTH_SCHEME = Pattern
		.compile("(?i)(?<![A-Za-z0-9])(Bearer|Token|Basic)(\\s{1,16}+)([A-Za-z0-9._~+/=:-]{8,}+)");

	/** A word that looks like a credential: long, letters and digits mixed. */
	private static final Pattern CREDENTIAL_LIKE = Pattern.compile("[A-Za-z0-9._~+/=-]{20,}");

	private static final Pattern UUID = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private static final Pattern TIMESTAMP = Pattern
		.compile("\\d{4}-\\d{2}-\\d{2}([T ][0-9:.]+)?(Z|[+-]\\d{2}:?\\d{2})?");

	private static final Pattern QUOTED = Pattern.compile("\"[^\"]+\"|'[^']{4,}'");

	private final KnownSecrets known;

	private SecretText(KnownSecrets known) {
		this.known = known;
	}

	/**
	 * @param secrets values never to show (see {@link KnownSecrets} for the forms
	 * searched and the values too short to be); null elements are skipped
	 * @return the redactor of these values
	 */
	public static SecretText of(Collection<String> secrets) {
		return new SecretText(KnownSecrets.of(secrets));
	}

	/**
	 * @return the redactor that knows no values (names and patterns only)
	 */
	public static SecretText none() {
		return NONE;
	}

	/**
	 * @param text any text; null for null
	 * @return it with the known values, secret-named values, credentials after an auth
	 * scheme and URL user info replaced by {@code [redacted]}; the same instance when
	 * there was nothing to replace
	 */
	public String redact(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String result = this.known.replace(text);
		if (result.indexOf(':') >= 0 || result.indexOf('=') >= 0) {
			result = namedValues(result);
		}
		if (result.indexOf('@') >= 0 && result.contains("://")) {
			result = userInfo(result);
		}
		Matcher scheme = AUTH_SCHEME.matcher(result);
		if (scheme.find()) {
			result = scheme.replaceAll("$1$2" + REDACTED);
		}
		return result;
	}

	/**
	 * A short summary of text that came from outside (an upstream's error message, a
	 * parser's complaint): {@link #redact redacted}, then every word that looks like a
	 * credential (20 or more characters mixing letters and digits, other than a UUID or a
	 * timestamp) replaced too, whitespace collapsed, and cut at {@code max} characters.
	 * @param text the text; null for null
	 * @param max the most characters kept
	 * @return the summary
	 */
	public String summarize(String text, int max) {
		if (text == null) {
			return null;
		}
		String result = redact(text.replaceAll("\\s+", " ").strip());
		Matcher word = CREDENTIAL_LIKE.matcher(result);
		StringBuilder summary = new StringBuilder(result.length());
		int last = 0;
		while (word.find()) {
			String candidate = word.group();
			boolean letters = candidate.chars().anyMatch(Character::isLetter);
			boolean digits = candidate.chars().anyMatch(Character::isDigit);
			if (letters && digits && !UUID.matcher(candidate).matches() && !TIMESTAMP.matcher(candidate).matches()) {
				summary.append(result, last, word.start()).append(REDACTED);
				last = word.end();
			}
		}
		result = summary.append(result, last, result.length()).toString();
		return (result.length() > max) ? result.substring(0, max) + "…" : result;
	}

	/**
	 * @param name a field, header, parameter or property name
	 * @return whether its value is a secret, by the rules {@link Secrets} redacts
	 * payloads with ({@code api_key}, {@code X-API-Key}, {@code authorization},
	 * {@code accessToken}, {@code password}, …; not {@code max_tokens})
	 */
	public static boolean isSecretName(String name) {
		return Secrets.isSecretName(name);
	}

	/**
	 * @param message a message that quotes data, as parsers and databases do
	 * ({@code from String "…"}, {@code Unrecognized token '…'})
	 * @return it with every double-quoted text, and single-quoted text of four or more
	 * characters, replaced by {@code "…"}; null for null
	 */
	public static String withoutQuotedValues(String message) {
		return (message == null) ? null : QUOTED.matcher(message).replaceAll((quoted) -> {
			char quote = quoted.group().charAt(0);
			return Matcher.quoteReplacement(quote + "…" + quote);
		});
	}

	/**
	 * @param text a text
	 * @param open where a quoted value's opening quote is
	 * @return the end of the value: after its closing quote (a double-quoted one honours
	 * backslash escapes), or the end of the text when it is cut off
	 */
	private static int closing(String text, int open) {
		char quote = text.charAt(open);
		int i = open + 1;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (quote == '"' && c == '\\') {
				i += 2;
				continue;
			}
			if (c == quote) {
				return i + 1;
			}
			i++;
		}
		return text.length();
	}

	/**
	 * @param text a text
	 * @param start where an unquoted value starts
	 * @return where it ends: after its first word, or its second when only spaces or tabs
	 * (at most 16) separate them, as a scheme and a credential
	 */
	private static int valueEnd(String text, int start) {
		int end = wordEnd(text, start);
		int next = end;
		while (next < text.length() && next - end < 16 && (text.charAt(next) == ' ' || text.charAt(next) == '\t')) {
			next++;
		}
		return (next > end && next < text.length() && isValueChar(text.charAt(next))) ? wordEnd(text, next) : end;
	}

	private static int wordEnd(String text, int from) {
		int end = from;
		while (end < text.length() && isValueChar(text.charAt(end))) {
			end++;
		}
		return end;
	}

	private static boolean isValueChar(char c) {
		return !Character.isWhitespace(c) && VALUE_END.indexOf(c) < 0;
	}

	/**
	 * Replaces the user info of every URL ({@code https://user:password@host}), found at
	 * each {@code ://} in one pass.
	 */
	private static String userInfo(String text) {
		StringBuilder result = null;
		int last = 0;
		for (int at = text.indexOf("://"); at >= 0; at = text.indexOf("://", at + 3)) {
			if (Secrets.schemeStart(text, at) < 0 || at + 3 < last) {
				continue;
			}
			int end = at + 3;
			while (end < text.length() && "/?#@\"'<>".indexOf(text.charAt(end)) < 0
					&& !Character.isWhitespace(text.charAt(end))) {
				end++;
			}
			if (end == at + 3 || end >= text.length() || text.charAt(end) != '@') {
				continue;
			}
			if (result == null) {
				result = new StringBuilder(text.length());
			}
			result.append(text, last, at + 3).append(REDACTED).append('@');
			last = end + 1;
		}
		return (result == null) ? text : result.append(text, last, text.length()).toString();
	}

	private static String namedValues(String text) {
		Matcher named = NAMED_VALUE.matcher(text);
		StringBuilder result = null;
		int last = 0;
		int from = 0;
		while (from < text.length() && named.find(from)) {
			if (!Secrets.isSecretName(named.group(1))) {
				// a value of another name may hold secret-named ones: {@code
				// uri=…?token=…}
				from = named.end(2);
				continue;
			}
			if (result == null) {
				result = new StringBuilder(text.length());
			}
			char first = text.charAt(named.start(3));
			boolean quoted = first == '"' || first == '\'';
			int end = quoted ? closing(text, named.start(3)) : valueEnd(text, named.start(3));
			boolean closed = quoted && end <= text.length() && end > named.start(3) + 1
					&& text.charAt(end - 1) == first;
			result.append(text, last, named.start(3))
				.append(quoted ? String.valueOf(first) : "")
				.append(REDACTED)
				.append(closed ? String.valueOf(first) : "");
			last = end;
			from = last;
		}
		return (result == null) ? text : result.append(text, last, text.length()).toString();
	}

}
