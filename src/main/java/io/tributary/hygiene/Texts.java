package io.tributary.hygiene;

import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Flattens message parts into the {@code input_text} / {@code output_text} of the unified
 * model, the same way for every kind.
 */
public final class Texts {

	private static final String PARAGRAPH = "\n\n";

	private Texts() {
	}

	/**
	 * @param parts the text parts, in order; null and empty parts are left out
	 * @return the parts as paragraphs, or null when there is no text
	 */
	public static String join(Stream<String> parts) {
		String text = parts.filter(Objects::nonNull)
			.filter((part) -> !part.isEmpty())
			.collect(Collectors.joining(PARAGRAPH));
		return text.isEmpty() ? null : text;
	}

}
