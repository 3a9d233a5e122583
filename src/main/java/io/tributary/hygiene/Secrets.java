package io.tributary.hygiene;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Redacts secrets an upstream embeds in its payloads before a payload is stored or
 * returned, in one pass over the tree that visits every key once:
 * <ul>
 * <li>a field whose name looks secret has its (non-null) value replaced by
 * {@code "[redacted]"}, whatever the value's type. Names are split into words (camel
 * case, {@code _}, {@code -}, {@code .}, digits) and a name is secret when one of its
 * words is a secret word ({@code password}, {@code secret}, {@code credentials},
 * {@code auth}, {@code authorization}, {@code bearer}, {@code session}, {@code cookie},
 * {@code apikey}, …), when it has {@code key} qualified by {@code api}, {@code access},
 * {@code private}, {@code client}, … ({@code x-api-key}, {@code apiKeys},
 * {@code private_key}), when it has the word {@code token} ({@code accessToken},
 * {@code authorization_token}), or when its words run together into such a name
 * ({@code xapikey}, {@code accesstoken}). Token <em>counts</em> are not secrets:
 * {@code tokens} needs a qualifier such as {@code access} or {@code refresh}, and a name
 * with a counting word ({@code count}, {@code max}, {@code total}, {@code input},
 * {@code prompt}, …) is never secret for its {@code token}: {@code input_tokens},
 * {@code max_tokens}, {@code tokenCount} stay. Words are compared whole, so
 * {@code author} and {@code authority} are not {@code auth};</li>
 * <li>URLs in string values anywhere lose their credentials ({@code user:password@}) and
 * their query string (replaced by {@code ?[redacted]}); a fragment holding parameters
 * ({@code #access_token=…}) becomes {@code #[redacted]}. Scheme, host, port and path
 * stay.</li>
 * </ul>
 * Numbers and other values are shared with the input, not re-encoded: the copy keeps them
 * exactly.
 */
public final class Secrets {

	static final String REDACTED = "[redacted]";

	private static final String REDACTED_QUERY = "?" + REDACTED;

	private static final String REDACTED_FRAGMENT = "#" + REDACTED;

	/** A name holding one of these words is secret. */
	private static final Set<String> SECRET_WORDS = Set.of("secret", "secrets", "password", "passwords", "passwd",
			"pwd", "passphrase", "credential", "credentials", "creds", "cookie", "cookies", "auth", "oauth",
			"authorization", "authentication", "bearer", "session", "sessions", "jwt", "csrf", "xsrf", "apikey",
			"apikeys", "accesskey", "privatekey", "sessionid", "sessiontoken");

	/** {@code key} or {@code keys} is secret next to one of these words. */
	private static final Set<String> KEY_QUALIFIERS = Set.of("api", "access", "private", "secret", "signing",
			"encryption", "client", "auth", "ssh", "license", "master", "subscription", "session", "account");

	/** {@code tokens} (plural, usually a count) is secret only next to one of these. */
	private static final Set<String> TOKEN_QUALIFIERS = Set.of("access", "refresh", "api", "auth", "bearer", "id",
			"session", "oauth", "csrf", "xsrf", "personal", "device", "secret");

	/** A name holding one of these counts something: its {@code token} is no secret. */
	private static final Set<String> COUNT_WORDS = Set.of("count", "counts", "num", "number", "total", "max", "min",
			"limit", "limits", "usage", "used", "length", "len", "size", "budget", "remaining", "input", "output",
			"prompt", "completion", "cached", "reasoning");

	/**
	 * Secret names written as one word ({@code xapikey}), found inside the joined name.
	 */
	private static final List<String> SECRET_FRAGMENTS = List.of("password", "passwd", "passphrase", "secret",
			"credential", "apikey", "accesskey", "privatekey", "authorization", "cookie");

	/** The same for tokens, subject to the counting words. */
	private static final List<String> TOKEN_FRAGMENTS = List.of("accesstoken", "refreshtoken", "authtoken",
			"bearertoken", "sessiontoken", "idtoken", "apitoken");

	/**
	 * What follows a URL's {@code scheme://}: optional user info (up to the last
	 * {@code @} before the path), host and port, path, query, fragment. Matched only at a
	 * {@code ://} found by {@link String#indexOf}, never tried from every position.
	 */
	private static final Pattern URL_TAIL = Pattern
		.compile("([^\\s/?#\"'<>]*@)?([^\\s/?#\"'<>@]*+)([^\\s?#\"'<>]*+)(\\?[^\\s#\"'<>]*+)?(#[^\\s\"'<>]*+)?");

	/** The longest URL scheme looked for before a {@code ://}. */
	private static final int MAX_SCHEME = 32;

	/**
	 * Verdicts on the field names seen so far: upstream payloads repeat a few hundred
	 * names millions of times. Bounded, so a payload with endless distinct names cannot
	 * grow it.
	 */
	private static final Map<String, Boolean> VERDICTS = new ConcurrentHashMap<>();

	private static final int MAX_VERDICTS = 10_000;

	private Secrets() {
	}

	/**
	 * A copy of {@code node} with every secret-named field's value replaced by
	 * {@code "[redacted]"} and every URL in its strings stripped of credentials and
	 * query. The input is left alone.
	 * @param node an upstream JSON value
	 * @return the redacted copy
	 */
	public static JsonNode redact(JsonNode node) {
		if (node == null) {
			return null;
		}
		return copy(node);
	}

	/**
	 * @param text a string value
	 * @return it with every URL stripped of credentials and query (and of a fragment
	 * holding parameters); the same instance when there was nothing to strip
	 */
	static String redactUrls(String text) {
		if (text == null || !text.contains("://")) {
			return text;
		}
		Matcher url = URL_TAIL.matcher(text);
		StringBuilder result = null;
		int last = 0;
		int from = 0;
		for (int at = text.indexOf("://", from); at >= 0; at = text.indexOf("://", from)) {
			int start = schemeStart(text, at);
			from = at + 3;
			if (start < last) {
				continue;
			}
			url.region(at + 3, text.length());
			if (!url.lookingAt()) {
				continue;
			}
			from = Math.max(from, url.end());
			String query = url.group(4);
			String fragment = url.group(5);
			boolean strip = url.group(1) != null
					|| (query != null && query.length() > 1 && !query.equals(REDACTED_QUERY))
					|| (fragment != null && fragment.indexOf('=') >= 0);
			if (!strip) {
				continue;
			}
			if (result == null) {
				result = new StringBuilder(text.length());
			}
			result.append(text, last, at + 3).append(url.group(2)).append(url.group(3));
			if (query != null) {
				result.append((query.length() > 1) ? REDACTED_QUERY : query);
			}
			if (fragment != null) {
				result.append((fragment.indexOf('=') >= 0) ? REDACTED_FRAGMENT : fragment);
			}
			last = url.end();
		}
		if (result == null) {
			return text;
		}
		return result.append(text, last, text.length()).toString();
	}

	/**
	 * @param text a text
	 * @param at where a {@code ://} starts in it
	 * @return where the scheme before it starts (a letter, then letters, digits,
	 * {@code +}, {@code .} or {@code -}, at most {@value #MAX_SCHEME}, at a word start);
	 * -1 when there is none
	 */
	static int schemeStart(String text, int at) {
		int start = at;
		while (start > 0 && at - start < MAX_SCHEME && isSchemeChar(text.charAt(start - 1))) {
			start--;
		}
		while (start < at && !Character.isLetter(text.charAt(start))) {
			start++;
		}
		boolean wordStart = start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1));
		return (start < at && wordStart && isAsciiLetter(text.charAt(start))) ? start : -1;
	}

	private static boolean isSchemeChar(char c) {
		return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
	}

	private static boolean isAsciiLetter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	private static boolean isSecret(String name) {
		Boolean verdict = VERDICTS.get(name);
		if (verdict == null) {
			verdict = isSecretName(name);
			if (VERDICTS.size() < MAX_VERDICTS) {
				VERDICTS.put(name, verdict);
			}
		}
		return verdict;
	}

	/**
	 * @param name a field name
	 * @return whether its value is to be redacted (see the class description)
	 */
	static boolean isSecretName(String name) {
		List<String> words = words(name);
		boolean counting = false;
		boolean token = false;
		boolean tokens = false;
		boolean key = false;
		boolean keyQualified = false;
		boolean tokensQualified = false;
		StringBuilder joined = new StringBuilder(name.length());
		for (String word : words) {
			if (SECRET_WORDS.contains(word)) {
				return true;
			}
			counting |= COUNT_WORDS.contains(word);
			token |= word.equals("token");
			tokens |= word.equals("tokens");
			key |= word.equals("key") || word.equals("keys");
			keyQualified |= KEY_QUALIFIERS.contains(word);
			tokensQualified |= TOKEN_QUALIFIERS.contains(word);
			joined.append(word);
		}
		if (key && keyQualified) {
			return true;
		}
		String together = joined.toString();
		for (String fragment : SECRET_FRAGMENTS) {
			if (together.contains(fragment)) {
				return true;
			}
		}
		if (counting) {
			return false;
		}
		if (token || (tokens && tokensQualified)) {
			return true;
		}
		for (String fragment : TOKEN_FRAGMENTS) {
			if (together.contains(fragment)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The lower-case words of a name: split at every character that is not a letter or
	 * digit, between a lower-case letter and an upper-case one, before the last capital
	 * of a run followed by a lower-case letter ({@code XApiKey}: x, api, key), and
	 * between letters and digits.
	 */
	static List<String> words(String name) {
		List<String> words = new ArrayList<>(4);
		StringBuilder word = new StringBuilder();
		int length = name.length();
		for (int i = 0; i < length; i++) {
			char c = name.charAt(i);
			if (!Character.isLetterOrDigit(c)) {
				flush(word, words);
				continue;
			}
			if (!word.isEmpty()) {
				char previous = name.charAt(i - 1);
				boolean boundary = (Character.isLowerCase(previous) && Character.isUpperCase(c))
						|| (Character.isUpperCase(previous) && Character.isUpperCase(c) && i + 1 < length
								&& Character.isLowerCase(name.charAt(i + 1)))
						|| (Character.isDigit(previous) != Character.isDigit(c));
				if (boundary) {
					flush(word, words);
				}
			}
			word.append(Character.toLowerCase(c));
		}
		flush(word, words);
		return words;
	}

	private static void flush(StringBuilder word, List<String> words) {
		if (!word.isEmpty()) {
			words.add(word.toString());
			word.setLength(0);
		}
	}

	/**
	 * The redacted copy, built with a stack of its own rather than by recursion: an item
	 * nests as deep as the parser allows, deeper than a thread's stack would take frames
	 * for.
	 */
	private static JsonNode copy(JsonNode node) {
		if (!node.isContainer()) {
			return leaf(node);
		}
		JsonNode root = empty(node);
		Deque<JsonNode[]> pending = new ArrayDeque<>();
		pending.push(new JsonNode[] { node, root });
		while (!pending.isEmpty()) {
			JsonNode[] pair = pending.pop();
			if (pair[0] instanceof ObjectNode object) {
				ObjectNode copy = (ObjectNode) pair[1];
				for (Map.Entry<String, JsonNode> field : object.properties()) {
					JsonNode value = field.getValue();
					if (!value.isNull() && isSecret(field.getKey())) {
						copy.set(field.getKey(), copy.stringNode(REDACTED));
					}
					else {
						copy.set(field.getKey(), copied(value, pending));
					}
				}
			}
			else {
				ArrayNode copy = (ArrayNode) pair[1];
				for (JsonNode element : pair[0]) {
					copy.add(copied(element, pending));
				}
			}
		}
		return root;
	}

	/** A leaf's copy, or an empty container whose copy is pending. */
	private static JsonNode copied(JsonNode value, Deque<JsonNode[]> pending) {
		if (!value.isContainer()) {
			return leaf(value);
		}
		JsonNode copy = empty(value);
		pending.push(new JsonNode[] { value, copy });
		return copy;
	}

	private static JsonNode empty(JsonNode container) {
		return (container instanceof ObjectNode object) ? object.objectNode()
				: ((ArrayNode) container).arrayNode(container.size());
	}

	private static JsonNode leaf(JsonNode node) {
		if (node.isString()) {
			String text = node.asString();
			String redacted = redactUrls(text);
			return (redacted == text) ? node : JsonNodeFactory.instance.stringNode(redacted);
		}
		// numbers, booleans, null: immutable, shared as they are
		return node;
	}

}
