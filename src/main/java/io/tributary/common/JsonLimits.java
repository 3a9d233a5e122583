package io.tributary.common;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * How deep the gateway's JSON may nest, in one place for every mapper that reads or
 * writes it (upstream bodies, stored {@code raw}, API answers). Jackson's own default is
 * 500 levels, read and written, which refused odd but valid items such as a {@code _meta}
 * nested 800 deep. Deeper than {@link #MAX_DEPTH} is refused rather than risked: on the
 * 512 KB thread stacks of the container image, Jackson's serializer writes 2 000 levels
 * and overflows at 4 000, and its {@code deepCopy} and {@code equals} overflow at 1 500,
 * so 1 100 leaves room for the frames below a walk. The gateway's own walks over a tree
 * (the secret and personal-data rules) keep a stack of their own.
 */
public final class JsonLimits {

	/** The deepest an upstream answer may nest: a page, its item, and the item's own. */
	public static final int UPSTREAM_DEPTH = 1000;

	/**
	 * The deepest JSON read or written anywhere else: a stored item (at most an upstream
	 * answer's depth) plus the few levels the gateway wraps around it (a detail answer, a
	 * feedback body inside {@code raw}, the content hash's document).
	 */
	public static final int MAX_DEPTH = UPSTREAM_DEPTH + 100;

	private JsonLimits() {
	}

	/**
	 * @return Jackson's read constraints with the nesting depth raised to
	 * {@link #MAX_DEPTH}
	 */
	public static StreamReadConstraints readConstraints() {
		return StreamReadConstraints.defaults().rebuild().maxNestingDepth(MAX_DEPTH).build();
	}

	/**
	 * @return Jackson's write constraints with the nesting depth raised to
	 * {@link #MAX_DEPTH}
	 */
	public static StreamWriteConstraints writeConstraints() {
		return StreamWriteConstraints.defaults().rebuild().maxNestingDepth(MAX_DEPTH).build();
	}

	/**
	 * @return a JSON factory that reads and writes up to {@link #MAX_DEPTH} levels
	 */
	public static JsonFactory factory() {
		return factory(readConstraints());
	}

	/**
	 * @param read the read constraints (an upstream connection's own: body length, token
	 * count, depth)
	 * @return a JSON factory that reads with them and writes up to {@link #MAX_DEPTH}
	 * levels
	 */
	public static JsonFactory factory(StreamReadConstraints read) {
		return JsonFactory.builder().streamReadConstraints(read).streamWriteConstraints(writeConstraints()).build();
	}

}
