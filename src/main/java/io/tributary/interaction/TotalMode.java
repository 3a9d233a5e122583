package io.tributary.interaction;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tributary.common.ApiValue;

/**
 * {@code includeTotal}: whether a page carries the number of matching interactions, and
 * how it is counted.
 */
enum TotalMode implements ApiValue {

	/** Counts every matching row: exact, and linear in the matches. */
	EXACT("exact"),

	/**
	 * PostgreSQL's planner estimate for the same filters: constant time, however many
	 * rows match; within a few percent on plain filters, rougher for text search and
	 * combined filters.
	 */
	ESTIMATED("estimated"),

	/** {@code exact}, as earlier versions of the API spelled it. */
	TRUE("true"),

	/** No total (the default). */
	FALSE("false");

	private final String apiValue;

	TotalMode(String apiValue) {
		this.apiValue = apiValue;
	}

	@Override
	@JsonValue
	public String apiValue() {
		return this.apiValue;
	}

	boolean wanted() {
		return this != FALSE;
	}

	boolean estimated() {
		return this == ESTIMATED;
	}

}
