package io.tributary.hygiene;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.core.io.JsonStringEncoder;

/**
 * The configured secret values (API keys, tokens in a base URL, signing keys) and every
 * form they take in text: as they are, JSON-escaped (as Jackson writes a string, and with
 * every control character as a {@code \}{@code u00XX} escape in lower or upper case), and
 * URL-encoded ({@code +} or {@code %20} for a space). Replacing them is the one place
 * that knows those forms: log lines, error summaries and stored rows all go through it.
 * <p>
 * A value is searched for only when it has at least {@value #MIN_LENGTH} characters
 * besides leading and trailing whitespace: shorter ones would match ordinary text. Forms
 * are tried longest first, so a secret that contains another is replaced whole.
 */
public final class KnownSecrets {

	/** Shorter values (once stripped) are not searched for. */
	public static final int MIN_LENGTH = 8;

	private static final KnownSecrets NONE = new KnownSecrets(List.of());

	private final List<String> forms;

	private KnownSecrets(List<String> forms) {
		this.forms = forms;
	}

	/**
	 * @param secrets values never to show; null elements and values too short to search
	 * for are skipped
	 * @return the replacer of these values
	 */
	public static KnownSecrets of(Collection<String> secrets) {
		Set<String> forms = new LinkedHashSet<>();
		for (String secret : secrets) {
			if (!isSearchable(secret)) {
				continue;
			}
			forms.add(secret);
			forms.add(new String(JsonStringEncoder.getInstance().quoteAsCharArray(secret)));
			forms.add(unicodeEscaped(secret, false));
			forms.add(unicodeEscaped(secret, true));
			String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
			forms.add(encoded);
			forms.add(encoded.replace("+", "%20"));
		}
		if (forms.isEmpty()) {
			return NONE;
		}
		return new KnownSecrets(forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
	}

	/**
	 * @return the replacer that knows no values
	 */
	static KnownSecrets none() {
		return NONE;
	}

	/**
	 * @param value a configured value
	 * @return whether it is long enough to be searched for (at least {@value #MIN_LENGTH}
	 * characters once stripped)
	 */
	public static boolean isSearchable(String value) {
		return value != null && value.strip().length() >= MIN_LENGTH;
	}

	/**
	 * @return whether there is no value to replace
	 */
	public boolean isEmpty() {
		return this.forms.isEmpty();
	}

	/**
	 * @param text any text; null for none
	 * @return whether it holds any form of a known value
	 */
	public boolean occursIn(String text) {
		if (text == null || text.isEmpty()) {
			return false;
		}
		for (String form : this.forms) {
			if (text.contains(form)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @param text any text; null for null
	 * @return it with every form of every known value replaced by {@code [redacted]}; the
	 * same instance when none occurs
	 */
	public String replace(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String result = text;
		for (String form : this.forms) {
			if (result.contains(form)) {
				result = result.replace(form, Secrets.REDACTED);
			}
		}
		return result;
	}

	/**
	 * JSON escaping with {@code "} and {@code \} escaped and every control character as
	 * {@code \}{@code u00XX}, as encoders other than Jackson write them.
	 */
	private static String unicodeEscaped(String secret, boolean upperCase) {
		StringBuilder escaped = new StringBuilder(secret.length() + 8);
		for (int i = 0; i < secret.length(); i++) {
			char c = secret.charAt(i);
			if (c == '"' || c == '\\') {
				escaped.append('\\').append(c);
			}
			else if (c < 0x20) {
				escaped.append(String.format(upperCase ? "\\u%04X" : "\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
