package io.tributary.interaction;

import org.jspecify.annotations.Nullable;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.common.DataFreshness;

/**
 * One page of interactions.
 *
 * @param items the interactions, in the requested order
 * @param page where this page stands
 * @param freshness how fresh each connection that could contribute is
 */
public record InteractionPage(List<InteractionSummary> items, PageInfo page, DataFreshness freshness) {

	/**
	 * Paging state.
	 *
	 * @param limit the page size used
	 * @param nextCursor pass as {@code cursor} (with the same filters and sort) for the
	 * next page; null on the last page
	 * @param hasNext whether there is a next page
	 * @param total how many interactions match the filters; only with
	 * {@code includeTotal}
	 * @param totalIsEstimate whether {@code total} is an estimate: PostgreSQL's planner
	 * estimate, or for a key limited to some connections (whom the planner's statistics
	 * of every connection would tell too much) a count stopped at 10 000
	 * ({@code includeTotal=estimated}) rather than a count; only with a total
	 */
	public record PageInfo(@Schema(example = "50") int limit, @Nullable String nextCursor, boolean hasNext,
			@JsonInclude(JsonInclude.Include.NON_NULL) Long total,
			@JsonInclude(JsonInclude.Include.NON_NULL) Boolean totalIsEstimate) {
	}

}
