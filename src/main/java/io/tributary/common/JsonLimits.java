package io.tributary.common;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * How deep the gateway's JSON may nest, in one place for every mapper that reads or
 * writes it (upstream bodies, stored {@code raw}, API answers). Jackson's own default is
 * 500 levels, read and written, which refuses odd but valid items such as a {@code _meta}
 * nested 800 deep. Deeper than {@link #MAX_DEPTH} is refused rather than risked: the
 * recursive walks over a tree (Jackson's own serializer and {@code deepCopy}, the secret
 * and personal-data rules) need about 0.5 MB of a thread's 1 MB stack at 2 000 levels and
 * overflow 512 KB there, while 1 100 levels fit in half the stack.
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
