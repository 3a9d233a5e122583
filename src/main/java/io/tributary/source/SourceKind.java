package io.tributary.source;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A source kind, by the name used in configuration ({@code type: zylon}), in the
 * {@code source} column and in the API. Each kind registers itself through its
 * {@link SourceConnector}; nothing else lists them.
 *
 * @param name lowercase letters, digits and '-'
 */
public record SourceKind(@JsonValue String name) {

	private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,29}");

	public SourceKind {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"'" + name + "' is not a source kind name: use up to 30 lowercase letters, digits and '-'");
		}
	}

	/**
	 * @param name the kind's name
	 * @return the kind
	 */
	public static SourceKind of(String name) {
		return new SourceKind(name);
	}

	@Override
	public String toString() {
		return this.name;
	}

}
