package io.tributary.interaction;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tributary.common.ApiValue;

/**
 * List orders; each is a keyset order over ({@code column}, {@code id}).
 */
enum InteractionSort implements ApiValue {

	CREATED_AT_ASC("createdAt", "created_at", false), CREATED_AT_DESC("-createdAt", "created_at", true),
	UPDATED_AT_ASC("updatedAt", "updated_at", false), UPDATED_AT_DESC("-updatedAt", "updated_at", true);

	private final String apiValue;

	private final String column;

	private final boolean descending;

	InteractionSort(String apiValue, String column, boolean descending) {
		this.apiValue = apiValue;
		this.column = column;
		this.descending = descending;
	}

	@Override
	@JsonValue
	public String apiValue() {
		return this.apiValue;
	}

	String column() {
		return this.column;
	}

	boolean descending() {
		return this.descending;
	}

}
