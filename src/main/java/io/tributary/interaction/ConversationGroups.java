package io.tributary.interaction;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tributary.common.ConnectionScope;
import io.tributary.common.DataFreshness;
import io.tributary.common.InvalidCursor;
import io.tributary.common.Rows;
import io.tributary.common.SignedCursors;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Interactions grouped into conversations (a connection's thread) and into people (the
 * customer's own participant id, across every source), computed from the interaction
 * table per page: most recently active first, keyset pages over (last activity, key).
 */
@Component
class ConversationGroups {

	/** Who took part: the customer's own id where the upstream carries one. */
	static final String PARTICIPANT = "COALESCE(participant_external_id, participant_id)";

	private static final String METRICS = "min(created_at) AS first_at, max(created_at) AS last_at, "
			+ "count(*) AS interactions, count(rating_normalized) AS rated_count, "
			+ "sum(CAST(rating_normalized AS numeric)) AS rating_sum, "
			+ "CAST(sum(input_tokens) AS bigint) AS input_tokens, CAST(sum(output_tokens) AS bigint) AS output_tokens";

	/** The thread summaries under the names the grouped scan gives their columns. */
	private static final String THREAD_SUMMARY = "SELECT connection, thread_id, source, participant, models, "
			+ "first_at, last_at, turns AS interactions, rated_count, rating_sum, "
			+ "CASE WHEN input_count > 0 THEN input_tokens END AS input_tokens, "
			+ "CASE WHEN output_count > 0 THEN output_tokens END AS output_tokens FROM thread_summary";

	/** The participant summaries under the names the grouped scan gives their columns. */
	private static final String PARTICIPANT_SUMMARY = "SELECT participant_external_id, sources, connections, "
			+ "interactions, threads, first_at, last_at, rated_count, rating_sum, "
			+ "CASE WHEN input_count > 0 THEN input_tokens END AS input_tokens, "
			+ "CASE WHEN output_count > 0 THEN output_tokens END AS output_tokens FROM participant_summary";

	private final JdbcClient jdbc;

	private final SignedCursors cursors;

	private final SourceNames kinds;

	private final ConnectionScope scope;

	private final DataFreshness.Source freshness;

	ConversationGroups(JdbcClient jdbc, SignedCursors cursors, SourceNames kinds, ConnectionScope scope,
			DataFreshness.Source freshness) {
		this.jdbc = jdbc;
		this.cursors = cursors;
		this.kinds = kinds;
		this.scope = scope;
		this.freshness = freshness;
	}

	GroupPage<ThreadSummary> threads(GroupFilter filter) {
		return threads(filter, true);
	}

	/**
	 * @param fromSummaries false: group the interactions even where the thread summaries
	 * hold the answer (the reference a test compares them with)
	 */
	GroupPage<ThreadSummary> threads(GroupFilter filter, boolean fromSummaries) {
		return page(filter, "threads.v1", List.of("connection", "thread_id"), "thread_id IS NOT NULL",
				"min(source) AS source, min(" + PARTICIPANT + ") AS participant, "
						+ "array_agg(DISTINCT model ORDER BY model) FILTER (WHERE model IS NOT NULL) AS models",
				(fromSummaries && filter.participant() == null && filter.createdFrom() == null
						&& filter.createdTo() == null) ? THREAD_SUMMARY : null,
				(rs, row) -> new ThreadSummary(rs.getString("connection"), rs.getString("source"),
						rs.getString("thread_id"), Rows.instant(rs, "first_at"), Rows.instant(rs, "last_at"),
						rs.getLong("interactions"), rs.getString("participant"), strings(rs.getArray("models")),
						average(rs), rs.getObject("input_tokens", Long.class),
						rs.getObject("output_tokens", Long.class)),
				(thread) -> List.of(thread.lastAt().toString(), thread.connection(), thread.threadId()));
	}

	GroupPage<ParticipantSummary> participants(GroupFilter filter) {
		return participants(filter, true);
	}

	/**
	 * @param fromSummaries false: group the interactions even where the participant
	 * summaries hold the answer (the reference a test compares them with)
	 */
	GroupPage<ParticipantSummary> participants(GroupFilter filter, boolean fromSummaries) {
		// a person's summary spans every connection and source: any narrowing is a scan
		boolean whole = filter.source() == null && filter.connection() == null && filter.participant() == null
				&& filter.createdFrom() == null && filter.createdTo() == null && this.scope.limitedTo().isEmpty();
		return page(filter, "participants.v1", List.of("participant_external_id"),
				"participant_external_id IS NOT NULL",
				"array_agg(DISTINCT source) AS sources, array_agg(DISTINCT connection) AS connections, "
						+ "count(DISTINCT thread_id) AS threads",
				(fromSummaries && whole) ? PARTICIPANT_SUMMARY : null,
				(rs, row) -> new ParticipantSummary(rs.getString("participant_external_id"),
						strings(rs.getArray("sources")), strings(rs.getArray("connections")),
						rs.getLong("interactions"), rs.getLong("threads"), Rows.instant(rs, "first_at"),
						Rows.instant(rs, "last_at"), average(rs), rs.getObject("input_tokens", Long.class),
						rs.getObject("output_tokens", Long.class)),
				(person) -> List.of(person.lastAt().toString(), person.externalParticipantId()));
	}

	/**
	 * @param summary the table of kept summaries holding the answer (keyset-indexed by
	 * last activity and {@code keys}); null: group the interactions
	 */
	private <T> GroupPage<T> page(GroupFilter filter, String api, List<String> keys, String present, String extra,
			@Nullable String summary, RowMapper<T> rows, java.util.function.Function<T, List<String>> position) {
		InteractionFilter interactions = filter.interactions();
		interactions.check(this.kinds);
		Where where = Where.of(interactions, this.scope);
		where.add(present);
		if (filter.participant() != null) {
			where.add(PARTICIPANT + " = :participant");
			where.params.put("participant", filter.participant());
		}
		// every filter, the participant included: a cursor of other filters is refused
		String fingerprint = java.util.HexFormat.of()
			.formatHex(io.tributary.common.Digests
				.sha256(interactions.fingerprint() + "|" + java.util.Objects.toString(filter.participant())), 0, 8);
		String having = "";
		String after = "";
		if (filter.cursor() != null) {
			List<String> fields = this.cursors.decode(api, keys.size() + 2, filter.cursor());
			if (!fields.get(0).equals(fingerprint)) {
				throw InvalidCursor.otherRequest();
			}
			after = String.join(", ", keys) + ") < (:afterAt"
					+ keys.stream().map((key) -> ", :after_" + key).reduce("", String::concat) + ")";
			having = " HAVING (max(created_at), " + after;
			where.params.put("afterAt", Rows
				.timestamp(SignedCursors.field((at) -> Rows.requireStorable(Instant.parse(at)), fields.get(1))));
			for (int i = 0; i < keys.size(); i++) {
				where.params.put("after_" + keys.get(i), fields.get(i + 2));
			}
		}
		int limit = filter.limitOrDefault();
		where.params.put("limit", limit + 1);
		String keyList = String.join(", ", keys);
		String order = " ORDER BY last_at DESC, "
				+ String.join(", ", keys.stream().map((key) -> key + " DESC").toList()) + " LIMIT :limit";
		String sql;
		if (summary != null) {
			Where summaries = Where.ofSummaries(interactions, this.scope);
			if (!after.isEmpty()) {
				summaries.add("(last_at, " + after);
			}
			where.params.putAll(summaries.params);
			sql = summary + summaries.sql() + order;
		}
		else {
			sql = "SELECT " + keyList + ", " + METRICS + ", " + extra + " FROM interaction" + where.sql() + " GROUP BY "
					+ keyList + having + order;
		}
		List<T> found = this.jdbc.sql(sql).params(where.params).query(rows).list();
		boolean hasNext = found.size() > limit;
		List<T> items = hasNext ? found.subList(0, limit) : found;
		String next = null;
		if (hasNext) {
			List<String> fields = new ArrayList<>();
			fields.add(fingerprint);
			fields.addAll(position.apply(items.get(items.size() - 1)));
			next = this.cursors.encode(api, fields.toArray(String[]::new));
		}
		return new GroupPage<>(items, new GroupPage.GroupPageInfo(limit, next, hasNext),
				this.freshness.of(filter.source(), filter.connection()));
	}

	/**
	 * The exact decimal sum of the ratings over their count, whichever way it was summed.
	 */
	private static @Nullable Double average(java.sql.ResultSet rs) throws SQLException {
		long rated = rs.getLong("rated_count");
		java.math.BigDecimal sum = rs.getBigDecimal("rating_sum");
		return (rated > 0 && sum != null)
				? sum.divide(java.math.BigDecimal.valueOf(rated), java.math.MathContext.DECIMAL128).doubleValue()
				: null;
	}

	private static List<String> strings(@Nullable Array array) throws SQLException {
		return (array != null) ? Arrays.asList((String[]) array.getArray()) : List.of();
	}

}
