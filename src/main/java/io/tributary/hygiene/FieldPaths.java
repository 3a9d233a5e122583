package io.tributary.hygiene;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A set of field paths into an upstream item's JSON tree, compiled once into one
 * automaton so a tree is matched against all of them in a single walk. The syntax:
 * <ul>
 * <li>names separated by {@code .}: {@code created_by.email};</li>
 * <li>{@code [*]}: every element of an array: {@code messages[*].author};</li>
 * <li>{@code *}: any one field name: {@code participant.*};</li>
 * <li>{@code **}: any depth, zero or more levels: {@code **.email} is an {@code email}
 * field anywhere;</li>
 * <li>{@code ["…"]} or {@code ['…']}: a name with characters the plain form cannot hold
 * ({@code .}, brackets, quotes, {@code *}, spaces): {@code metadata["user.email"]}.</li>
 * </ul>
 * Arrays are looked into: where a name follows, the name applies to the objects inside an
 * array at that place, so {@code messages.author} and {@code messages[*].author} match
 * the same fields. A path that ends at an object or an array matches it as a whole.
 * <p>
 * The walk is driven by {@link #start()}, {@link #field} and {@link #element}: a state is
 * the set of places in the paths a node has reached; a node whose state holds the end of
 * a path is matched ({@link #matches}); a node whose state is empty (null) is not looked
 * into.
 */
public final class FieldPaths {

	private static final String SYNTAX = "write names separated by '.', with [*] for the elements of an array, * for any name, "
			+ "** for any depth, and [\"…\"] for a name holding other characters";

	private enum Kind {

		/** One field of that name. */
		NAME,
		/** Any one field. */
		ANY_NAME,
		/** One array element. */
		ELEMENT,
		/** Zero or more levels. */
		ANY_DEPTH,
		/** The end of a path: the node reached is matched. */
		END

	}

	private record Step(Kind kind, String name) {
	}

	/** The paths' steps one after the other, each path closed by {@link Kind#END}. */
	private final Step[] steps;

	private final int words;

	private final long[] start;

	private FieldPaths(List<Step> steps, List<Integer> starts) {
		this.steps = steps.toArray(Step[]::new);
		this.words = Math.max(1, (this.steps.length + 63) / 64);
		long[] initial = new long[this.words];
		for (int position : starts) {
			add(initial, position);
		}
		this.start = initial;
	}

	/**
	 * @param paths paths in the syntax above
	 * @return them, compiled
	 * @throws InvalidPath naming the index and the problem of the first path that is not
	 * one
	 */
	public static FieldPaths compile(List<String> paths) {
		List<Step> steps = new ArrayList<>();
		List<Integer> starts = new ArrayList<>();
		for (int i = 0; i < paths.size(); i++) {
			starts.add(steps.size());
			try {
				steps.addAll(parse(paths.get(i)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidPath(i, "is not a field path: " + ex.getMessage() + "; " + SYNTAX);
			}
			steps.add(new Step(Kind.END, null));
		}
		return new FieldPaths(steps, starts);
	}

	private static List<Step> parse(String path) {
		if (path == null || path.isBlank()) {
			throw new IllegalArgumentException("a path is empty");
		}
		List<Step> steps = new ArrayList<>();
		int length = path.length();
		int i = 0;
		boolean expectName = true;
		while (i < length) {
			char c = path.charAt(i);
			if (c == '[') {
				i = bracket(path, i, steps);
				expectName = false;
				continue;
			}
			if (c == '.') {
				if (expectName) {
					throw new IllegalArgumentException("a name is missing at character " + (i + 1));
				}
				expectName = true;
				i++;
				if (i == length) {
					throw new IllegalArgumentException("a name is missing after the last '.'");
				}
				continue;
			}
			if (!expectName) {
				throw new IllegalArgumentException("'.' or '[' expected at character " + (i + 1));
			}
			int end = i;
			while (end < length && ".[".indexOf(path.charAt(end)) < 0) {
				end++;
			}
			steps.add(name(path.substring(i, end), i));
			expectName = false;
			i = end;
		}
		return steps;
	}

	private static Step name(String name, int at) {
		if (name.equals("*")) {
			return new Step(Kind.ANY_NAME, null);
		}
		if (name.equals("**")) {
			return new Step(Kind.ANY_DEPTH, null);
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '*') {
				throw new IllegalArgumentException(
						"'*' stands alone as a name (no partial wildcards such as 'e*'), at character " + (at + i + 1));
			}
			if (c == ']' || c == '"' || c == '\'' || Character.isWhitespace(c)) {
				throw new IllegalArgumentException(
						"'" + c + "' at character " + (at + i + 1) + " needs the quoted form [\"…\"]");
			}
		}
		return new Step(Kind.NAME, name);
	}

	/** {@code [*]}, {@code ["name"]} or {@code ['name']}; returns the index after it. */
	private static int bracket(String path, int open, List<Step> steps) {
		if (path.startsWith("[*]", open)) {
			steps.add(new Step(Kind.ELEMENT, null));
			return open + 3;
		}
		char quote = (open + 1 < path.length()) ? path.charAt(open + 1) : 0;
		if (quote != '"' && quote != '\'') {
			throw new IllegalArgumentException("'[' at character " + (open + 1)
					+ " starts [*] or a quoted name [\"…\"] (array indexes are not supported)");
		}
		int close = path.indexOf(quote, open + 2);
		if (close < 0 || close + 1 >= path.length() || path.charAt(close + 1) != ']') {
			throw new IllegalArgumentException(
					"the quoted name at character " + (open + 1) + " is not closed by " + quote + "]");
		}
		if (close == open + 2) {
			throw new IllegalArgumentException("the quoted name at character " + (open + 1) + " is empty");
		}
		steps.add(new Step(Kind.NAME, path.substring(open + 2, close)));
		return close + 2;
	}

	/**
	 * @return the state of an item's root
	 */
	long[] start() {
		return this.start;
	}

	/**
	 * @param state a node's state (not null)
	 * @param name the name of one of its fields
	 * @return that field's state, or null when no path goes on there
	 */
	long[] field(long[] state, String name) {
		long[] next = null;
		for (int w = 0; w < this.words; w++) {
			long bits = state[w];
			while (bits != 0) {
				int position = w * 64 + Long.numberOfTrailingZeros(bits);
				bits &= bits - 1;
				Step step = this.steps[position];
				int to = switch (step.kind()) {
					case NAME -> step.name().equals(name) ? position + 1 : -1;
					case ANY_NAME -> position + 1;
					case ANY_DEPTH -> position;
					case ELEMENT, END -> -1;
				};
				if (to >= 0) {
					next = (next != null) ? next : new long[this.words];
					add(next, to);
				}
			}
		}
		return next;
	}

	/**
	 * @param state an array's state (not null)
	 * @return the state of its elements, or null when no path goes on there
	 */
	long[] element(long[] state) {
		long[] next = null;
		for (int w = 0; w < this.words; w++) {
			long bits = state[w];
			while (bits != 0) {
				int position = w * 64 + Long.numberOfTrailingZeros(bits);
				bits &= bits - 1;
				int to = switch (this.steps[position].kind()) {
					case ELEMENT -> position + 1;
					// a name looks into arrays; any depth counts the element as a level
					case NAME, ANY_NAME, ANY_DEPTH -> position;
					case END -> -1;
				};
				if (to >= 0) {
					next = (next != null) ? next : new long[this.words];
					add(next, to);
				}
			}
		}
		return next;
	}

	/**
	 * @param state a node's state (not null)
	 * @return whether a path ends at that node
	 */
	boolean matches(long[] state) {
		for (int w = 0; w < this.words; w++) {
			long bits = state[w];
			while (bits != 0) {
				int position = w * 64 + Long.numberOfTrailingZeros(bits);
				bits &= bits - 1;
				if (this.steps[position].kind() == Kind.END) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * A path that is not one, or that reaches what it must not.
	 */
	public static final class InvalidPath extends IllegalArgumentException {

		private final int index;

		InvalidPath(int index, String message) {
			super(message);
			this.index = index;
		}

		/**
		 * @return the position of the path in the list checked
		 */
		public int index() {
			return this.index;
		}

	}

	/**
	 * @param root a JSON tree
	 * @return the first node, in document order, that a path matches; null when none
	 * does. Only the parts of the tree some path can still match are walked.
	 */
	public JsonNode first(JsonNode root) {
		return first(root, this.start);
	}

	private JsonNode first(JsonNode node, long[] state) {
		if (matches(state)) {
			return node;
		}
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				long[] next = field(state, field.getKey());
				JsonNode found = (next != null) ? first(field.getValue(), next) : null;
				if (found != null) {
					return found;
				}
			}
		}
		else if (node.isArray()) {
			long[] next = element(state);
			if (next != null) {
				for (JsonNode element : node) {
					JsonNode found = first(element, next);
					if (found != null) {
						return found;
					}
				}
			}
		}
		return null;
	}

	/**
	 * Adds a position and, where it is {@code **}, the positions it may skip to (zero
	 * levels).
	 */
	private void add(long[] state, int position) {
		int at = position;
		while (true) {
			state[at >>> 6] |= 1L << (at & 63);
			if (this.steps[at].kind() != Kind.ANY_DEPTH) {
				return;
			}
			at++;
		}
	}

	@Override
	public String toString() {
		return Arrays.toString(this.steps);
	}

}
