package io.tributary.source.greenflash;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@code Link} header (RFC 8288): links separated by commas, each a
 * {@code <target>} followed by {@code ;}-separated parameters whose names are
 * case-insensitive and whose values are tokens or quoted strings (with {@code \}
 * escapes); {@code rel} is a space-separated list of relation types, compared
 * case-insensitively, and only the first {@code rel} of a link counts. An element that is
 * not a link is skipped up to the next comma outside quotes; a target without its
 * {@code >} ends the header, and a quoted string without its closing quote runs to the
 * end.
 * <p>
 * Written by hand, one pass and no regular expression, because the header comes from the
 * upstream and is read before anything else about the page: the earlier pattern-based
 * reading threw {@link StackOverflowError} on a link with 2 000 {@code ;a=b} parameters
 * and took seconds (quadratic backtracking) on 30 000 {@code <} without a {@code >}.
 * Spring HATEOAS's {@code Links.parse} is linear too, but it reads parameter names
 * case-sensitively ({@code REL=next} is refused) and refuses the whole header when one
 * link is malformed, and it would bring the HATEOAS jars (and springdoc's HATEOAS
 * support) in for this one header.
 */
final class LinkHeader {

	private final String value;

	private final int length;

	private int at;

	private LinkHeader(String value) {
		this.value = value;
		this.length = value.length();
	}

	/**
	 * @param value one {@code Link} header line; null for none
	 * @return its links, in order
	 */
	static List<Link> parse(String value) {
		return (value != null) ? new LinkHeader(value).links() : List.of();
	}

	/**
	 * @param lines the {@code Link} header lines of a response
	 * @return the target of the first link with relation type {@code next}, as written
	 * (not resolved); null when there is none
	 */
	static String next(List<String> lines) {
		for (String line : lines) {
			for (Link link : parse(line)) {
				if (link.has("next")) {
					return link.target();
				}
			}
		}
		return null;
	}

	private List<Link> links() {
		List<Link> links = new ArrayList<>();
		while (true) {
			skipWhitespaceAndCommas();
			if (this.at >= this.length) {
				return links;
			}
			if (this.value.charAt(this.at) != '<') {
				skipElement();
				continue;
			}
			int close = this.value.indexOf('>', this.at + 1);
			if (close < 0) {
				return links;
			}
			String target = this.value.substring(this.at + 1, close).trim();
			this.at = close + 1;
			String rel = parameters();
			links.add(new Link(target, relationTypes(rel)));
			skipElement();
		}
	}

	/**
	 * Reads the parameters after a target, up to the comma that ends the link (or a
	 * character that cannot continue it).
	 * @return the first {@code rel} value, or null
	 */
	private String parameters() {
		String rel = null;
		while (true) {
			skipWhitespace();
			if (this.at >= this.length || this.value.charAt(this.at) != ';') {
				return rel;
			}
			this.at++;
			skipWhitespace();
			int start = this.at;
			while (this.at < this.length && isTokenChar(this.value.charAt(this.at))) {
				this.at++;
			}
			String name = this.value.substring(start, this.at).toLowerCase(Locale.ROOT);
			skipWhitespace();
			String parameter = "";
			if (this.at < this.length && this.value.charAt(this.at) == '=') {
				this.at++;
				skipWhitespace();
				if (this.at < this.length && this.value.charAt(this.at) == '"') {
					parameter = quoted();
				}
				else {
					start = this.at;
					while (this.at < this.length && isTokenChar(this.value.charAt(this.at))) {
						this.at++;
					}
					parameter = this.value.substring(start, this.at);
				}
			}
			if (name.equals("rel") && rel == null) {
				rel = parameter;
			}
		}
	}

	/**
	 * A quoted string starting at the current {@code "}.
	 * @return its content with escapes removed; when it is not closed, what there is up
	 * to the end of the header
	 */
	private String quoted() {
		StringBuilder content = new StringBuilder();
		this.at++;
		while (this.at < this.length) {
			char c = this.value.charAt(this.at++);
			if (c == '"') {
				return content.toString();
			}
			if (c == '\\' && this.at < this.length) {
				c = this.value.charAt(this.at++);
			}
			content.append(c);
		}
		return content.toString();
	}

	/** Skips to the next comma outside a quoted string (or to the end). */
	private void skipElement() {
		boolean quoted = false;
		while (this.at < this.length) {
			char c = this.value.charAt(this.at);
			if (quoted && c == '\\') {
				this.at += 2;
				continue;
			}
			if (c == '"') {
				quoted = !quoted;
			}
			else if (c == ',' && !quoted) {
				return;
			}
			this.at++;
		}
	}

	private void skipWhitespace() {
		while (this.at < this.length && isWhitespace(this.value.charAt(this.at))) {
			this.at++;
		}
	}

	private void skipWhitespaceAndCommas() {
		while (this.at < this.length
				&& (isWhitespace(this.value.charAt(this.at)) || this.value.charAt(this.at) == ',')) {
			this.at++;
		}
	}

	private static boolean isWhitespace(char c) {
		return c == ' ' || c == '\t';
	}

	/** RFC 9110 {@code tchar}. */
	private static boolean isTokenChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
	}

	private static List<String> relationTypes(String rel) {
		if (rel == null) {
			return List.of();
		}
		List<String> types = new ArrayList<>();
		int start = 0;
		for (int i = 0; i <= rel.length(); i++) {
			if (i == rel.length() || isWhitespace(rel.charAt(i))) {
				if (i > start) {
					types.add(rel.substring(start, i).toLowerCase(Locale.ROOT));
				}
				start = i + 1;
			}
		}
		return types;
	}

	/**
	 * One link of the header.
	 *
	 * @param target the URI reference between {@code <} and {@code >}, trimmed
	 * @param rel its relation types, in lower case
	 */
	record Link(String target, List<String> rel) {

		boolean has(String type) {
			return this.rel.contains(type);
		}

	}

}
