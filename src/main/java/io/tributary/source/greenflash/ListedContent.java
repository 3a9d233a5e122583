package io.tributary.source.greenflash;

import java.util.Iterator;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Whether a listed item says the same as the stored one: every field the list gives has
 * the same value in the stored item (which holds more when it came from the detail).
 * Numbers compare by value, so {@code 4} and {@code 4.0} (as PostgreSQL may give back a
 * {@code jsonb} number) are the same; a difference costs one detail call, never a wrong
 * write (the writer compares content again).
 */
final class ListedContent {

	private ListedContent() {
	}

	/**
	 * @param listed the listed item, redacted as stored
	 * @param stored the stored item
	 * @return whether every listed field is stored with the same value
	 */
	static boolean same(JsonNode listed, JsonNode stored) {
		if (!listed.isObject() || !stored.isObject()) {
			return equal(listed, stored);
		}
		for (Map.Entry<String, JsonNode> field : listed.properties()) {
			JsonNode kept = stored.get(field.getKey());
			if (kept == null) {
				if (!field.getValue().isNull()) {
					return false;
				}
			}
			else if (!equal(field.getValue(), kept)) {
				return false;
			}
		}
		return true;
	}

	private static boolean equal(JsonNode a, JsonNode b) {
		if (a.isNumber() && b.isNumber()) {
			return a.decimalValue().compareTo(b.decimalValue()) == 0;
		}
		if (a.isObject() && b.isObject()) {
			if (a.size() != b.size()) {
				return false;
			}
			for (Map.Entry<String, JsonNode> field : a.properties()) {
				JsonNode other = b.get(field.getKey());
				if (other == null || !equal(field.getValue(), other)) {
					return false;
				}
			}
			return true;
		}
		if (a.isArray() && b.isArray()) {
			if (a.size() != b.size()) {
				return false;
			}
			Iterator<JsonNode> left = a.iterator();
			Iterator<JsonNode> right = b.iterator();
			while (left.hasNext()) {
				if (!equal(left.next(), right.next())) {
					return false;
				}
			}
			return true;
		}
		return a.equals(b);
	}

}
