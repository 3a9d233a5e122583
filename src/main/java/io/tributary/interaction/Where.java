package io.tributary.interaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.tributary.common.ApiValue;
import io.tributary.common.ConnectionScope;
import io.tributary.common.Rows;

/**
 * The interaction filters as one SQL conjunction with named parameters, shared by every
 * reader of the table (pages, rollups, exports), so a filter means the same everywhere.
 */
final class Where {

	/**
	 * @param filter the request's filters
	 * @param scope the connections the caller's key may see
	 * @return the filters as conditions
	 */
	static Where of(InteractionFilter filter, ConnectionScope scope) {
		Where where = new Where();
		where.in("source", filter.source());
		where.equal("connection", filter.connection());
		where.equal("participant_id", filter.participantId());
		where.equal("participant_external_id", filter.externalParticipantId());
		where.equal("organization_id", filter.organizationId());
		where.equal("thread_id", filter.threadId());
		where.equal("product_id", filter.productId());
		where.equal("model", filter.model());
		where.in("status", filter.status());
		where.compare("created_at", ">=", "createdFrom", filter.createdFrom(), Rows::timestamp);
		where.compare("created_at", "<", "createdTo", filter.createdTo(), Rows::timestamp);
		where.compare("updated_at", ">=", "updatedSince", filter.updatedSince(), Rows::timestamp);
		where.compare("rating_normalized", ">=", "minRating", filter.minRating(), Function.identity());
		where.compare("rating_normalized", "<=", "maxRating", filter.maxRating(), Function.identity());
		if (filter.hasFeedback() != null) {
			where.add(filter.hasFeedback() ? "feedback IS NOT NULL" : "feedback IS NULL");
		}
		if (!Boolean.TRUE.equals(filter.includeDeleted())) {
			where.add("deleted_at IS NULL");
		}
		if (filter.q() != null) {
			where.add("search_vector @@ websearch_to_tsquery('simple', :q)");
			where.params.put("q", filter.q());
		}
		scope.limitedTo().ifPresent((visible) -> where.in("connection", "visibleConnections", List.copyOf(visible)));
		return where;
	}

	/**
	 * @param filter the request's filters
	 * @return whether {@link #ofRollups} selects exactly what {@link #of} selects, hour
	 * by whole hour: every filter it sets is one of the rollup's key or the creation
	 * range
	 */
	static boolean rollupsCover(InteractionFilter filter) {
		return filter.participantId() == null && filter.externalParticipantId() == null
				&& filter.organizationId() == null && filter.threadId() == null && filter.productId() == null
				&& filter.updatedSince() == null && filter.minRating() == null && filter.maxRating() == null
				&& filter.hasFeedback() == null && filter.q() == null;
	}

	/**
	 * The filters {@link #rollupsCover} allows, on the columns of
	 * {@code interaction_rollup}, with the parameters named as {@link #of} names them;
	 * the creation range is the caller's (it is cut at whole hours).
	 * @param filter the request's filters
	 * @param scope the connections the caller's key may see
	 * @return the filters as conditions on the rollups
	 */
	static Where ofRollups(InteractionFilter filter, ConnectionScope scope) {
		Where where = new Where();
		where.in("source", filter.source());
		where.equal("connection", filter.connection());
		where.equal("model", filter.model());
		where.in("status", filter.status());
		if (!Boolean.TRUE.equals(filter.includeDeleted())) {
			where.add("NOT deleted");
		}
		scope.limitedTo().ifPresent((visible) -> where.in("connection", "visibleConnections", List.copyOf(visible)));
		return where;
	}

	/**
	 * The {@code source} and {@code connection} filters and the key's connections, on a
	 * table of summaries carrying both columns.
	 * @param filter the request's filters
	 * @param scope the connections the caller's key may see
	 * @return the filters as conditions on the summaries
	 */
	static Where ofSummaries(InteractionFilter filter, ConnectionScope scope) {
		Where where = new Where();
		where.in("source", filter.source());
		where.equal("connection", filter.connection());
		scope.limitedTo().ifPresent((visible) -> where.in("connection", "visibleConnections", List.copyOf(visible)));
		return where;
	}

	private final List<String> conditions = new ArrayList<>();

	/** The named parameters of the conditions; a reader adds its own. */
	final Map<String, Object> params = new HashMap<>();

	void add(String condition) {
		this.conditions.add(condition);
	}

	void equal(String column, String value) {
		if (value != null) {
			add(column + " = :" + column);
			this.params.put(column, value);
		}
	}

	void in(String column, List<?> values) {
		in(column, column, values);
	}

	void in(String column, String name, List<?> values) {
		if (values != null && !values.isEmpty()) {
			add(column + " IN (:" + name + ")");
			this.params.put(name,
					values.stream()
						.map((value) -> (value instanceof ApiValue api) ? api.apiValue() : value.toString())
						.distinct()
						.toList());
		}
	}

	<T> void compare(String column, String operator, String name, T value, Function<T, Object> bind) {
		if (value != null) {
			add(column + " " + operator + " :" + name);
			this.params.put(name, bind.apply(value));
		}
	}

	Where copy() {
		Where copy = new Where();
		copy.conditions.addAll(this.conditions);
		copy.params.putAll(this.params);
		return copy;
	}

	String sql() {
		return this.conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", this.conditions);
	}

}
