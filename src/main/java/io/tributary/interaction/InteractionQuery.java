package io.tributary.interaction;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.tributary.common.Rows;
import io.tributary.common.ApiValue;
import io.tributary.common.ConnectionScope;
import io.tributary.common.DataFreshness;
import io.tributary.common.SignedCursors;
import io.tributary.interaction.InteractionSummary.Organization;
import io.tributary.interaction.InteractionSummary.Participant;
import io.tributary.interaction.InteractionSummary.Rating;
import io.tributary.interaction.InteractionSummary.Usage;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.util.RawValue;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads interactions: the filters become one SQL WHERE clause, pages are keyset pages
 * over ({@code created_at|updated_at}, {@code id}), so a page costs an index range scan
 * however deep it is and rows inserted meanwhile never shift, repeat or skip the rows of
 * later pages. List and detail read the same columns through one row mapping
 * ({@link #summary}); the detail adds messages and, when asked, raw.
 */
@Component
class InteractionQuery {

	static final String SUMMARY_COLUMNS = "id, source, connection, source_id, thread_id, participant_id, "
			+ "participant_external_id, participant_type, organization_id, organization_external_id, product_id, "
			+ "version_id, model, status, input_text, output_text, input_tokens, output_tokens, rating, rating_min, "
			+ "rating_max, rating_normalized, feedback, created_at, updated_at, first_seen_at, last_synced_at, attributes, "
			+ "deleted_at, rating_source, search_truncated";

	/** Tags this API's cursors, so another keyset API's cursor is refused here. */
	private static final String CURSOR_API = "interactions.v1";

	private static final TypeReference<List<Message>> MESSAGES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final SignedCursors cursors;

	private final JsonMapper json;

	private final SourceNames kinds;

	private final ConnectionScope scope;

	private final TransactionTemplate snapshot;

	private final DataFreshness.Source freshness;

	InteractionQuery(JdbcClient jdbc, SignedCursors cursors, JsonMapper json, SourceNames kinds, ConnectionScope scope,
			PlatformTransactionManager transactions, DataFreshness.Source freshness) {
		this.freshness = freshness;
		this.scope = scope;
		this.snapshot = new TransactionTemplate(transactions);
		this.snapshot.setReadOnly(true);
		this.jdbc = jdbc;
		this.cursors = cursors;
		this.json = json;
		this.kinds = kinds;
	}

	InteractionDetail detail(UUID id, boolean includeRaw) {
		return this.jdbc
			.sql("SELECT " + SUMMARY_COLUMNS + ", messages, content_hash" + (includeRaw ? ", raw" : "")
					+ " FROM interaction WHERE id = ?")
			.param(id)
			.query((rs, row) -> new InteractionDetail(summary(rs, row),
					this.json.readValue(rs.getString("messages"), MESSAGES),
					includeRaw ? this.json.readTree(rs.getString("raw")) : null, rs.getString("content_hash")))
			.optional()
			.filter((detail) -> this.scope.allows(detail.summary().connection()))
			.orElseThrow(() -> new InteractionNotFound(id));
	}

	/**
	 * One page; with a total, the page and the count read one snapshot (a read-only
	 * transaction). Without, the page is a single statement, run without a transaction's
	 * extra round trip.
	 */
	InteractionPage page(InteractionFilter filter) {
		filter.check(this.kinds);
		return (filter.wantsTotal() && !filter.wantsEstimatedTotal())
				? this.snapshot.execute((status) -> pageOf(filter)) : pageOf(filter);
	}

	/**
	 * One page as the JSON Jackson writes of its {@link InteractionPage}, byte for byte,
	 * and the page's tag ({@link ETags#of(InteractionPage)}), written straight from the
	 * rows as they are read: no model object per row. The same statements as
	 * {@link #page}, in the same snapshot when there is a total.
	 */
	Json pageJson(InteractionFilter filter) {
		filter.check(this.kinds);
		return (filter.wantsTotal() && !filter.wantsEstimatedTotal())
				? this.snapshot.execute((status) -> pageJsonOf(filter)) : pageJsonOf(filter);
	}

	/**
	 * @param body the answer's JSON (UTF-8)
	 * @param etag its weak tag
	 */
	record Json(byte[] body, String etag) {
	}

	/** A page's statement and what its answer needs besides the rows. */
	private record Plan(InteractionFilter filter, InteractionSort sort, String fingerprint, Where where, Where page,
			int limit, String sql) {
	}

	private Plan plan(InteractionFilter filter) {
		InteractionSort sort = filter.sortOrDefault();
		String fingerprint = filter.fingerprint();
		Where where = Where.of(filter, this.scope);
		Where page = where.copy();
		if (filter.cursor() != null) {
			Cursor after = decode(filter.cursor(), sort, fingerprint);
			page.add("(" + sort.column() + ", id) " + (sort.descending() ? "<" : ">") + " (:afterPosition, :afterId)");
			page.params.put("afterPosition", Rows.timestamp(after.position()));
			page.params.put("afterId", after.id());
		}
		int limit = filter.limitOrDefault();
		page.params.put("limit", limit + 1);
		String direction = sort.descending() ? " DESC" : " ASC";
		return new Plan(filter, sort, fingerprint, where, page, limit, "SELECT " + SUMMARY_COLUMNS + " FROM interaction"
				+ page.sql() + " ORDER BY " + sort.column() + direction + ", id" + direction + " LIMIT :limit");
	}

	private InteractionPage pageOf(InteractionFilter filter) {
		Plan plan = plan(filter);
		List<InteractionSummary> rows = this.jdbc.sql(plan.sql())
			.params(plan.page().params)
			.query(InteractionQuery::summary)
			.list();
		boolean hasNext = rows.size() > plan.limit();
		List<InteractionSummary> items = hasNext ? rows.subList(0, plan.limit()) : rows;
		String position = null;
		String id = null;
		if (hasNext) {
			InteractionSummary last = items.get(items.size() - 1);
			position = (plan.sort().column().equals("created_at") ? last.createdAt() : last.updatedAt()).toString();
			id = last.id().toString();
		}
		return new InteractionPage(items, pageInfo(plan, hasNext, position, id), freshness(plan.filter()));
	}

	private Json pageJsonOf(InteractionFilter filter) {
		Plan plan = plan(filter);
		boolean byCreation = plan.sort().column().equals("created_at");
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(16384);
		StringBuilder keys = new StringBuilder(64 * plan.limit());
		InteractionPage.PageInfo info;
		DataFreshness freshness;
		try (JsonGenerator g = this.json.createGenerator(out)) {
			g.writeStartObject();
			g.writeName("items");
			g.writeStartArray();
			// the last item written, when a row follows it (a next page)
			String[] last = this.jdbc.sql(plan.sql()).params(plan.page().params).query((ResultSet rs) -> {
				String[] seen = null;
				for (int row = 0; rs.next(); row++) {
					if (row == plan.limit()) {
						return Optional.of(seen);
					}
					seen = writeSummary(g, rs, byCreation);
					keys.append((row > 0) ? "," : "").append(ETags.key(seen[0], seen[2], seen[3]));
				}
				return Optional.<String[]>empty();
			}).orElse(null);
			g.writeEndArray();
			info = pageInfo(plan, last != null, (last != null) ? last[1] : null, (last != null) ? last[0] : null);
			freshness = freshness(plan.filter());
			g.writeName("page");
			this.json.writeValue(g, info);
			g.writeName("freshness");
			this.json.writeValue(g, freshness);
			g.writeEndObject();
		}
		return new Json(out.toByteArray(), ETags.ofPage(keys.toString(), info, freshness));
	}

	/**
	 * Writes the row as {@link #summary} maps it and Jackson writes the record.
	 * @return its id, position in the sort ({@code created_at} when {@code byCreation},
	 * else {@code updated_at}), last sync and deletion, as written
	 */
	private static String[] writeSummary(JsonGenerator g, ResultSet rs, boolean byCreation) throws SQLException {
		g.writeStartObject();
		String id = rs.getString(1);
		g.writeName("id");
		g.writeString(id);
		JsonRows.string(g, "source", rs, 2);
		JsonRows.string(g, "connection", rs, 3);
		JsonRows.string(g, "sourceId", rs, 4);
		JsonRows.string(g, "threadId", rs, 5);
		g.writeName("participant");
		g.writeStartObject();
		JsonRows.string(g, "id", rs, 6);
		JsonRows.string(g, "externalId", rs, 7);
		JsonRows.string(g, "type", rs, 8);
		g.writeEndObject();
		g.writeName("organization");
		g.writeStartObject();
		JsonRows.string(g, "id", rs, 9);
		JsonRows.string(g, "externalId", rs, 10);
		g.writeEndObject();
		JsonRows.string(g, "productId", rs, 11);
		JsonRows.string(g, "versionId", rs, 12);
		JsonRows.string(g, "model", rs, 13);
		g.writeName("status");
		g.writeString(ApiValue.parse(InteractionStatus.class, rs.getString(14)).apiValue());
		JsonRows.string(g, "inputText", rs, 15);
		JsonRows.string(g, "outputText", rs, 16);
		g.writeName("usage");
		g.writeStartObject();
		JsonRows.bigint(g, "inputTokens", rs, 17);
		JsonRows.bigint(g, "outputTokens", rs, 18);
		g.writeEndObject();
		g.writeName("rating");
		g.writeStartObject();
		JsonRows.decimal(g, "value", rs, 19);
		JsonRows.decimal(g, "min", rs, 20);
		JsonRows.decimal(g, "max", rs, 21);
		JsonRows.float8(g, "normalized", rs, 22);
		JsonRows.string(g, "source", rs, 30);
		g.writeEndObject();
		JsonRows.string(g, "feedback", rs, 23);
		String createdAt = JsonRows.instant(g, "createdAt", rs, 24);
		String updatedAt = JsonRows.instant(g, "updatedAt", rs, 25);
		JsonRows.instant(g, "firstSeenAt", rs, 26);
		String lastSyncedAt = JsonRows.instant(g, "lastSyncedAt", rs, 27);
		g.writeName("attributes");
		String attributes = rs.getString(28);
		if (attributes != null) {
			g.writeRawValue(attributes);
		}
		else {
			g.writeNull();
		}
		String deletedAt = JsonRows.instant(g, "deletedAt", rs, 29);
		g.writeName("searchTruncated");
		g.writeBoolean(rs.getBoolean(31));
		g.writeEndObject();
		return new String[] { id, byCreation ? createdAt : updatedAt, lastSyncedAt, deletedAt };
	}

	/**
	 * The paging state after the rows: the next cursor from the last row's position and
	 * id (when there is a next page), and the total when asked for.
	 */
	private InteractionPage.PageInfo pageInfo(Plan plan, boolean hasNext, String position, String id) {
		InteractionFilter filter = plan.filter();
		String nextCursor = hasNext
				? this.cursors.encode(CURSOR_API, plan.sort().apiValue(), plan.fingerprint(), position, id) : null;
		// the planner has no statistics before the table's first ANALYZE: then only a
		// count tells. Its statistics cover every connection, so a key limited to some
		// would learn from an estimate what the others hold (a large estimate where
		// its own rows count none): it gets a count instead, stopped at a cap
		boolean limited = this.scope.limitedTo().isPresent();
		boolean estimated = filter.wantsEstimatedTotal() && (limited || analyzed());
		Where where = plan.where();
		Long total = !filter.wantsTotal() ? null
				: !estimated ? count(where, null) : limited ? count(where, LIMITED_ESTIMATE_CAP) : estimate(where);
		Boolean isEstimate = !filter.wantsTotal() ? null : (estimated && (!limited || total >= LIMITED_ESTIMATE_CAP));
		return new InteractionPage.PageInfo(plan.limit(), nextCursor, hasNext, total, isEstimate);
	}

	private DataFreshness freshness(InteractionFilter filter) {
		return this.freshness.of(filter.source(), filter.connection());
	}

	/**
	 * The most rows an estimated total counts for a key limited to some connections: up
	 * to this many it is exact, past it the total is this cap (and says it is an
	 * estimate).
	 */
	static final long LIMITED_ESTIMATE_CAP = 10_000;

	/**
	 * @param where the filters
	 * @param cap the most rows to count; null for all
	 * @return how many rows match, at most {@code cap}
	 */
	private long count(Where where, Long cap) {
		String sql = (cap == null) ? "SELECT count(*) FROM interaction" + where.sql()
				: "SELECT count(*) FROM (SELECT 1 FROM interaction" + where.sql() + " LIMIT " + cap + ") capped";
		return this.jdbc.sql(sql).params(where.params).query(Long.class).single();
	}

	/**
	 * @return whether PostgreSQL has statistics of the table (an ANALYZE, by hand or by
	 * autovacuum, ran since it was created)
	 */
	private boolean analyzed() {
		return this.jdbc.sql("SELECT reltuples >= 0 FROM pg_class WHERE oid = 'interaction'::regclass")
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	/**
	 * The planner's estimate of the rows matching {@code where}: what {@code EXPLAIN}
	 * says, from the table's statistics, without reading a row.
	 */
	private long estimate(Where where) {
		String plan = this.jdbc.sql("EXPLAIN (FORMAT JSON) SELECT 1 FROM interaction" + where.sql())
			.params(where.params)
			.query(String.class)
			.single();
		return Math.round(this.json.readTree(plan).path(0).path("Plan").path("Plan Rows").asDouble());
	}

	/**
	 * Reads a cursor and checks it belongs to this request: its sort and the fingerprint
	 * of its filters must be the request's, and its position one a stored row can have.
	 */
	private Cursor decode(String text, InteractionSort sort, String fingerprint) {
		List<String> fields = this.cursors.decode(CURSOR_API, 4, text);
		if (!fields.get(0).equals(sort.apiValue()) || !fields.get(1).equals(fingerprint)) {
			throw io.tributary.common.InvalidCursor.otherRequest();
		}
		return new Cursor(
				SignedCursors.field((position) -> Rows.requireStorable(Instant.parse(position)), fields.get(2)),
				SignedCursors.field(UUID::fromString, fields.get(3)));
	}

	/**
	 * The one mapping of a stored row to the API's fields. Columns are read by position,
	 * in the order of {@link #SUMMARY_COLUMNS} (the statement always starts with them): a
	 * page reads some 1 500 values, and a lookup by name hashes each name every time.
	 */
	static InteractionSummary summary(ResultSet rs, int rowNumber) throws SQLException {
		return new InteractionSummary(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
				rs.getString(5), new Participant(rs.getString(6), rs.getString(7), rs.getString(8)),
				new Organization(rs.getString(9), rs.getString(10)), rs.getString(11), rs.getString(12),
				rs.getString(13), ApiValue.parse(InteractionStatus.class, rs.getString(14)), rs.getString(15),
				rs.getString(16), new Usage(rs.getObject(17, Long.class), rs.getObject(18, Long.class)),
				new Rating(rs.getBigDecimal(19), rs.getBigDecimal(20), rs.getBigDecimal(21),
						rs.getObject(22, Double.class), rs.getString(30)),
				rs.getString(23), Rows.instant(rs, 24), Rows.instant(rs, 25), Rows.instant(rs, 26),
				Rows.instant(rs, 27), attributes(rs.getString(28)), Rows.instant(rs, 29), rs.getBoolean(31));
	}

	/**
	 * The stored attributes as they are: PostgreSQL's JSON text goes into the answer
	 * without being parsed and written again.
	 */
	private static JsonNode attributes(String json) {
		return (json != null) ? JsonNodeFactory.instance.rawValueNode(new RawValue(json)) : null;
	}

	private record Cursor(Instant position, UUID id) {
	}

}
