package io.tributary.source.zylon;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * Zylon's pagination envelope.
 */
record ZylonPage(List<JsonNode> data, @JsonProperty("next_cursor") String nextCursor,
		@JsonProperty("previous_cursor") String previousCursor, @JsonProperty("has_next_page") Boolean hasNextPage,
		@JsonProperty("has_previous_page") Boolean hasPreviousPage, @JsonProperty("total_count") Long totalCount) {

	/**
	 * Whether to read on: {@code has_next_page} when sent, else whether a
	 * {@code next_cursor} came; never after an empty page.
	 */
	boolean hasMore() {
		if (this.data == null || this.data.isEmpty()) {
			return false;
		}
		return (this.hasNextPage != null) ? this.hasNextPage : this.nextCursor != null && !this.nextCursor.isBlank();
	}

}
