package io.tributary.hygiene;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One connection's personal-data rule ({@code tributary.sources.<name>.personal-data}),
 * compiled at start-up: which fields of an upstream item are personal (its kind's known
 * fields and the configured paths, see {@link FieldPaths} for the syntax), and whether
 * they are kept, removed, or replaced by a keyed hash. Connectors apply it to every item
 * as received, before anything is mapped, so the stored row (its columns, messages,
 * attributes and raw JSON) and a quarantined item's payload are all made from the
 * redacted item. The connection's setting is checked and turned into a rule by the source
 * package at start-up; this type knows no configuration.
 * <p>
 * Hashing is HMAC-SHA256 under the configured key (its UTF-8 bytes), written
 * {@code hmac-sha256:} and 64 lower-case hex digits: the same value under the same key
 * gives the same hash on every run and replica, so one person's items still group
 * together, and without the key a hash cannot be checked against a guess. What is hashed
 * is a string's text, except that an e-mail address is taken trimmed and in lower case
 * ({@code Ana@Example.com} and {@code ana@example.com} are one person), and a number's
 * JSON text. {@code true}, {@code false}, {@code null} and the empty string are kept
 * (they say nothing about anyone); an object or array that a path ends at keeps its shape
 * with every string and number inside hashed. A value as received is hashed whatever it
 * looks like, one that already looks like a hash included, so nobody can pose as another
 * person by sending that person's hash; each value must therefore go through the rule
 * once: {@link #apply} for what an upstream sent, {@link #applyToField} for what a later
 * call adds to an item that went through it, and {@link #reapply} for a stored item that
 * may have.
 * <p>
 * Removing takes the field out of its object (or the element out of its array).
 * <p>
 * The tree is walked once, and only where some path can still match; unmatched parts of
 * the result are shared with the input, which is never changed.
 */
public final class PersonalData {

	/** The rule of a connection that keeps personal data as received. */
	public static final PersonalData KEEP = new PersonalData(Mode.KEEP, null, List.of(), null);

	/** The shortest hash key accepted. */
	public static final int MIN_KEY_LENGTH = 32;

	/** What is done with personal fields. */
	public enum Mode {

		/** Stored as received (the default). */
		KEEP,
		/** Taken out of the item. */
		REMOVE,
		/** Replaced by {@code hmac-sha256:<hex>} under the connection's key. */
		HASH

	}

	private static final String HASH_PREFIX = "hmac-sha256:";

	private static final Pattern HASHED = Pattern.compile("hmac-sha256:[0-9a-f]{64}");

	private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+");

	private static final String ALGORITHM = "HmacSHA256";

	private final Mode mode;

	private final List<String> paths;

	private final FieldPaths compiled;

	/** Initialized with the key; cloned for each tree (a Mac is not thread-safe). */
	private final Mac prototype;

	private PersonalData(Mode mode, String key, List<String> paths, FieldPaths compiled) {
		this.mode = mode;
		this.paths = List.copyOf(paths);
		this.compiled = compiled;
		this.prototype = (mode == Mode.HASH) ? mac(key) : null;
	}

	/**
	 * A rule from its parts.
	 * @param mode keep, remove or hash
	 * @param key the hash key (at least {@value #MIN_KEY_LENGTH} characters), for
	 * {@link Mode#HASH}
	 * @param paths the personal fields
	 * @return the rule
	 * @throws IllegalArgumentException for a missing or short key, or a path that is not
	 * one
	 */
	public static PersonalData of(Mode mode, String key, List<String> paths) {
		if (mode == Mode.HASH && (key == null || key.length() < MIN_KEY_LENGTH)) {
			throw new IllegalArgumentException("the hash key must be at least " + MIN_KEY_LENGTH + " characters");
		}
		FieldPaths compiled = FieldPaths.compile(paths);
		refuseTheItemAndItsId(paths);
		return new PersonalData(mode, key, paths, compiled);
	}

	/**
	 * Checks personal-field paths as {@link #of} would, without making a rule: for
	 * checking a setting at start-up before its parts are combined.
	 * @param paths field paths
	 * @throws FieldPaths.InvalidPath naming the index and the problem of the first path
	 * that is not one, or that would match the item itself or its {@code id}
	 */
	public static void check(List<String> paths) {
		FieldPaths.compile(paths);
		refuseTheItemAndItsId(paths);
	}

	/**
	 * Refuses a path that matches the item itself or its {@code id}: without its id, no
	 * item could be stored.
	 */
	private static void refuseTheItemAndItsId(List<String> paths) {
		for (int i = 0; i < paths.size(); i++) {
			FieldPaths one = FieldPaths.compile(List.of(paths.get(i)));
			long[] id = one.field(one.start(), "id");
			if (one.matches(one.start()) || (id != null && one.matches(id))) {
				throw new FieldPaths.InvalidPath(i,
						"would also match the item's id, which the gateway needs to tell items apart: use a narrower path");
			}
		}
	}

	private static Mac mac(String key) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", ex);
		}
	}

	/**
	 * @return keep, remove or hash
	 */
	public Mode mode() {
		return this.mode;
	}

	/**
	 * @return the personal fields, the kind's known ones first
	 */
	public List<String> paths() {
		return this.paths;
	}

	/**
	 * @param item an upstream item as received
	 * @return it with its personal fields removed or hashed; the same instance when the
	 * mode is keep or nothing matched
	 */
	public JsonNode apply(JsonNode item) {
		return apply(item, false);
	}

	/**
	 * For a stored item, which went through this rule, an earlier one or none (stored
	 * before the connection had one): as {@link #apply}, except that a value that already
	 * is a hash is kept, so what an earlier hashing rule treated is not hashed twice.
	 * Never for what an upstream sent: there a value that looks like a hash is hashed
	 * like any other.
	 * @param stored an item as stored
	 * @return it with its personal fields removed or hashed; the same instance when the
	 * mode is keep or nothing changed
	 */
	public JsonNode reapply(JsonNode stored) {
		return apply(stored, true);
	}

	/**
	 * For an item that went through this rule, to which a later call added one field as
	 * received (a detail's body): the rule is applied to that field's value only, as if
	 * the item held nothing else, so what was treated already is not hashed twice.
	 * @param treated the item, its other fields already through this rule
	 * @param field the name of the top-level field that holds what was added
	 * @return the item with that field's personal parts removed or hashed; the same
	 * instance when nothing changed
	 */
	public JsonNode applyToField(JsonNode treated, String field) {
		if (this.mode == Mode.KEEP || !(treated instanceof ObjectNode object) || !object.has(field)) {
			return treated;
		}
		ObjectNode alone = object.objectNode();
		alone.set(field, object.get(field));
		JsonNode result = apply(alone, false);
		if (result == alone) {
			return treated;
		}
		ObjectNode copy = object.objectNode();
		for (Map.Entry<String, JsonNode> each : object.properties()) {
			JsonNode value = each.getKey().equals(field) ? result.get(field) : each.getValue();
			if (value != null) {
				copy.set(each.getKey(), value);
			}
		}
		return copy;
	}

	private JsonNode apply(JsonNode item, boolean keepHashes) {
		if (this.mode == Mode.KEEP || item == null || !item.isContainer()) {
			return item;
		}
		return walk(item, this.compiled.start(), new Hasher(keepHashes));
	}

	/**
	 * @param value a value
	 * @return its hash, as a hashed field would hold it (for tests and for looking a
	 * person up)
	 * @throws IllegalStateException when the mode is not hash
	 */
	public String hash(String value) {
		if (this.mode != Mode.HASH) {
			throw new IllegalStateException("this rule does not hash");
		}
		return new Hasher(false).hash(value);
	}

	/**
	 * A container node; returns the node itself when nothing in it changed. Walked with a
	 * stack of its own, not by recursion: an item nests as deep as the parser allows (see
	 * {@code JsonLimits}), deeper than a thread's stack would take frames for.
	 */
	private JsonNode walk(JsonNode root, long[] state, Hasher hasher) {
		Deque<Level> levels = new ArrayDeque<>();
		levels.push(new Level(root, state));
		while (true) {
			Level level = levels.peek();
			if (!level.hasNext()) {
				levels.pop();
				JsonNode done = level.result();
				if (levels.isEmpty()) {
					return done;
				}
				levels.peek().accept(done);
				continue;
			}
			JsonNode value = level.next();
			long[] childState = level.childState();
			if (childState == null) {
				level.accept(value);
			}
			else if (this.compiled.matches(childState)) {
				level.accept((this.mode == Mode.REMOVE) ? null : hashed(value, hasher));
			}
			else if (value.isContainer()) {
				levels.push(new Level(value, childState));
			}
			else {
				level.accept(value);
			}
		}
	}

	/**
	 * One container being walked: its children in order, and its copy once a child
	 * changed (the children before it are copied as they were).
	 */
	private final class Level {

		private final JsonNode node;

		private final long[] state;

		private final Iterator<Map.Entry<String, JsonNode>> fields;

		/** The state of an array's elements; null when no path goes on into them. */
		private final long[] elements;

		private Map.Entry<String, JsonNode> field;

		private JsonNode value;

		private int index = -1;

		private ObjectNode objectCopy;

		private ArrayNode arrayCopy;

		Level(JsonNode node, long[] state) {
			this.node = node;
			this.state = state;
			this.fields = (node instanceof ObjectNode object) ? object.properties().iterator() : null;
			this.elements = (node instanceof ArrayNode) ? PersonalData.this.compiled.element(state) : null;
		}

		boolean hasNext() {
			if (this.fields != null) {
				return this.fields.hasNext();
			}
			return this.elements != null && this.index + 1 < this.node.size();
		}

		JsonNode next() {
			this.index++;
			if (this.fields != null) {
				this.field = this.fields.next();
				this.value = this.field.getValue();
			}
			else {
				this.value = this.node.get(this.index);
			}
			return this.value;
		}

		/** The state of the child {@link #next} returned; null when no path goes on. */
		long[] childState() {
			return (this.fields != null) ? PersonalData.this.compiled.field(this.state, this.field.getKey())
					: this.elements;
		}

		/** The child's result: null to remove it, the child itself when unchanged. */
		void accept(JsonNode result) {
			if (this.fields != null) {
				if (result != this.value && this.objectCopy == null) {
					this.objectCopy = ((ObjectNode) this.node).objectNode();
					int before = 0;
					for (Map.Entry<String, JsonNode> earlier : this.node.properties()) {
						if (before++ == this.index) {
							break;
						}
						this.objectCopy.set(earlier.getKey(), earlier.getValue());
					}
				}
				if (this.objectCopy != null && result != null) {
					this.objectCopy.set(this.field.getKey(), result);
				}
				return;
			}
			if (result != this.value && this.arrayCopy == null) {
				this.arrayCopy = ((ArrayNode) this.node).arrayNode(this.node.size());
				for (int j = 0; j < this.index; j++) {
					this.arrayCopy.add(this.node.get(j));
				}
			}
			if (this.arrayCopy != null && result != null) {
				this.arrayCopy.add(result);
			}
		}

		JsonNode result() {
			return (this.objectCopy != null) ? this.objectCopy : (this.arrayCopy != null) ? this.arrayCopy : this.node;
		}

	}

	/**
	 * A copy of a value with every string and number in it hashed, its shape kept; built
	 * with a stack of its own (see {@link #walk}).
	 */
	private static JsonNode hashed(JsonNode value, Hasher hasher) {
		if (!value.isContainer()) {
			return hashedLeaf(value, hasher);
		}
		JsonNode root = empty(value);
		Deque<JsonNode[]> pending = new ArrayDeque<>();
		pending.push(new JsonNode[] { value, root });
		while (!pending.isEmpty()) {
			JsonNode[] pair = pending.pop();
			if (pair[0] instanceof ObjectNode object) {
				ObjectNode copy = (ObjectNode) pair[1];
				for (Map.Entry<String, JsonNode> field : object.properties()) {
					JsonNode child = field.getValue();
					JsonNode copied = child.isContainer() ? empty(child) : hashedLeaf(child, hasher);
					copy.set(field.getKey(), copied);
					if (child.isContainer()) {
						pending.push(new JsonNode[] { child, copied });
					}
				}
			}
			else {
				ArrayNode copy = (ArrayNode) pair[1];
				for (JsonNode child : pair[0]) {
					JsonNode copied = child.isContainer() ? empty(child) : hashedLeaf(child, hasher);
					copy.add(copied);
					if (child.isContainer()) {
						pending.push(new JsonNode[] { child, copied });
					}
				}
			}
		}
		return root;
	}

	private static JsonNode empty(JsonNode container) {
		return (container instanceof ObjectNode object) ? object.objectNode()
				: ((ArrayNode) container).arrayNode(container.size());
	}

	private static JsonNode hashedLeaf(JsonNode value, Hasher hasher) {
		if (value.isString()) {
			String text = value.asString();
			return (text.isEmpty() || (hasher.keepHashes && HASHED.matcher(text).matches())) ? value
					: JsonNodeFactory.instance.stringNode(hasher.hash(text));
		}
		if (value.isNumber()) {
			return JsonNodeFactory.instance.stringNode(hasher.hash(value.asString()));
		}
		// true, false, null
		return value;
	}

	/**
	 * One tree's hashing: the key's MAC, cloned when first needed, and whether values
	 * that already are hashes are kept (a stored tree) or hashed (a tree as received).
	 */
	private final class Hasher {

		private final boolean keepHashes;

		private Mac mac;

		Hasher(boolean keepHashes) {
			this.keepHashes = keepHashes;
		}

		String hash(String value) {
			String text = value;
			String stripped = value.strip();
			if (EMAIL.matcher(stripped).matches()) {
				text = stripped.toLowerCase(Locale.ROOT);
			}
			if (this.mac == null) {
				this.mac = copy(PersonalData.this.prototype);
			}
			return HASH_PREFIX + HexFormat.of().formatHex(this.mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}

	}

	private static Mac copy(Mac prototype) {
		try {
			return (Mac) prototype.clone();
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("this runtime's HMAC-SHA256 cannot be copied", ex);
		}
	}

	@Override
	public String toString() {
		return "PersonalData[mode=" + this.mode.name().toLowerCase(Locale.ROOT) + ", paths=" + this.paths + "]";
	}

}
