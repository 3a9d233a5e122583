package io.tributary.interaction;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.common.DataFreshness;
import org.jspecify.annotations.Nullable;

/**
 * One page of conversations or people.
 *
 * @param <T> what is listed
 * @param items most recently active first
 * @param page paging state
 * @param freshness how fresh each connection that could contribute is
 */
public record GroupPage<T>(List<T> items, GroupPageInfo page, DataFreshness freshness) {

	/**
	 * @param limit the page size used
	 * @param nextCursor pass as {@code cursor}, with the same filters, for the next page;
	 * null on the last page
	 * @param hasNext whether there is a next page
	 */
	public record GroupPageInfo(@Schema(example = "50") int limit, @Nullable String nextCursor, boolean hasNext) {
	}

}
