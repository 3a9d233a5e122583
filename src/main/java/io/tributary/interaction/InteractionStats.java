package io.tributary.interaction;

import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import io.tributary.common.ConnectionScope;
import io.tributary.common.DataFreshness;
import io.tributary.common.InvalidParameter;
import io.tributary.common.Rows;
import io.tributary.interaction.StatsOptions.Dimension;
import io.tributary.interaction.StatsOptions.Interval;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rollups of the interactions the list's filters select, computed in PostgreSQL in one
 * statement: grouped by the requested dimensions and, optionally, by time bucket cut in a
 * time zone ({@code date_trunc} with a zone, so days and months follow its
 * daylight-saving changes). Read from the hourly {@code interaction_rollup} rows the
 * triggers of migration V17 keep exact whenever they hold the answer (see
 * {@link #rollupsAnswer}), else from a scan of the matching interactions.
 */
@Component
class InteractionStats {

	/** The most groups (rows) one answer holds. */
	static final int MAX_GROUPS = 1000;

	/** The most time buckets a requested time range may span. */
	static final int MAX_BUCKETS = 1000;

	/** The most groups the answers kept for reuse hold in all. */
	static final int CACHED_GROUPS = 10_000;

	private final Answers answers = new Answers();

	private final JdbcClient jdbc;

	private final SourceNames kinds;

	private final ConnectionScope scope;

	private final List<PricingProperties.Price> prices;

	private final DataFreshness.Source freshness;

	InteractionStats(JdbcClient jdbc, SourceNames kinds, ConnectionScope scope, PricingProperties pricing,
			DataFreshness.Source freshness) {
		this.freshness = freshness;
		this.jdbc = jdbc;
		this.kinds = kinds;
		this.scope = scope;
		this.prices = pricing.prices();
	}

	InteractionStatsPage stats(InteractionFilter filter, StatsOptions options) {
		return stats(filter, options, true);
	}

	/**
	 * @param fromRollups false: compute from the interactions even where the rollups hold
	 * the answer (the reference a test compares them with)
	 */
	InteractionStatsPage stats(InteractionFilter filter, StatsOptions options, boolean fromRollups) {
		filter.check(this.kinds);
		ZoneId zone = zone(options.tz());
		List<Dimension> dimensions = (options.groupBy() != null) ? options.groupBy().stream().distinct().toList()
				: List.of();
		Interval interval = options.interval();
		Where where = Where.of(filter, this.scope);
		Instant from = filter.createdFrom();
		Instant to = filter.createdTo();
		if (interval != null) {
			// an open end of the range is where the matching rows end
			if (from == null || to == null) {
				Instant[] span = span(where);
				from = (from != null) ? from : span[0];
				to = (to != null) ? to : span[1];
			}
			long buckets = (from != null && to != null && to.isAfter(from))
					? Duration.between(from, to).toSeconds() / interval.shortestSeconds() : 0;
			if (buckets > MAX_BUCKETS) {
				throw new InvalidParameter("interval", "Parameter 'interval': " + interval.apiValue() + " buckets from "
						+ ((filter.createdFrom() != null) ? "createdFrom" : "the oldest matching interaction") + " to "
						+ ((filter.createdTo() != null) ? "createdTo" : "the newest") + " would be about " + buckets
						+ "; at most " + MAX_BUCKETS
						+ " are allowed: choose a coarser interval or a shorter range (createdFrom, createdTo)");
			}
		}
		List<InteractionStatsPage.Group> groups = null;
		String computedFrom = InteractionStatsPage.ROLLUPS;
		if (fromRollups && rollupsAnswer(filter, dimensions, interval, zone, from, to)) {
			Query query = rollupQuery(filter, dimensions, interval, zone);
			query.params().put("maxGroups", MAX_GROUPS + 1);
			String key = query.sql() + "\u0000" + new TreeMap<>(query.params());
			Answer kept = this.answers.get(key);
			if (kept != null && kept.version() == version()) {
				groups = kept.groups();
			}
			else {
				try {
					long[] version = { -1 };
					groups = groups(query, interval, zone, dimensions, version);
					if (version[0] >= 0 && groups.size() <= MAX_GROUPS) {
						this.answers.put(key, new Answer(version[0], groups));
					}
				}
				catch (TokenHistogram.Unbounded ex) {
					// a percentile the histogram cannot bound: the exact figures instead
				}
			}
		}
		if (groups == null) {
			computedFrom = InteractionStatsPage.SCAN;
			Query query = scanQuery(where, dimensions, interval, zone);
			query.params().put("maxGroups", MAX_GROUPS + 1);
			groups = groups(query, interval, zone, dimensions, null);
		}
		if (groups.size() > MAX_GROUPS) {
			String parameter = !dimensions.isEmpty() ? "groupBy" : "interval";
			throw new InvalidParameter(parameter,
					"Parameter '" + parameter + "': the answer would hold more than " + MAX_GROUPS
							+ " groups; narrow the filters or the time range, group by fewer dimensions or use "
							+ "a coarser interval");
		}
		return new InteractionStatsPage(dimensions.stream().map(Dimension::apiValue).toList(),
				(interval != null) ? interval.apiValue() : null, zone.getId(), computedFrom, groups,
				this.freshness.of(filter.source(), filter.connection()));
	}

	/**
	 * Whether the hourly rollups hold the answer: every filter is one of their key or the
	 * creation range, every dimension is one of their key, every bucket starts on a whole
	 * UTC hour (the zone's offset is a whole number of hours throughout the range) and so
	 * does every price's validity.
	 */
	private boolean rollupsAnswer(InteractionFilter filter, List<Dimension> dimensions, Interval interval, ZoneId zone,
			Instant from, Instant to) {
		if (!Where.rollupsCover(filter) || dimensions.contains(Dimension.PARTICIPANT)
				|| dimensions.contains(Dimension.THREAD)) {
			return false;
		}
		for (PricingProperties.Price price : this.prices) {
			if (!wholeHour(price.validFrom()) || !wholeHour(price.validTo())) {
				return false;
			}
		}
		return interval == null || from == null || to == null || wholeHourOffsets(zone, from, to);
	}

	private static boolean wholeHour(Instant instant) {
		return instant == null || (instant.getNano() == 0 && Math.floorMod(instant.getEpochSecond(), 3600) == 0);
	}

	/**
	 * Whether the zone's offset from UTC is a whole number of hours from {@code from} to
	 * {@code to}.
	 */
	static boolean wholeHourOffsets(ZoneId zone, Instant from, Instant to) {
		ZoneRules rules = zone.getRules();
		if (rules.getOffset(from).getTotalSeconds() % 3600 != 0) {
			return false;
		}
		for (ZoneOffsetTransition next = rules.nextTransition(from); next != null
				&& next.getInstant().isBefore(to); next = rules.nextTransition(next.getInstant())) {
			if (next.getOffsetAfter().getTotalSeconds() % 3600 != 0) {
				return false;
			}
		}
		return true;
	}

	/** Today's scan: one aggregate over every matching interaction. */
	private Query scanQuery(Where where, List<Dimension> dimensions, Interval interval, ZoneId zone) {
		List<String> keys = keys("created_at", dimensions, interval, zone, where.params);
		boolean priced = !this.prices.isEmpty();
		String select = "count(*) AS count, CAST(sum(input_tokens) AS bigint) AS input_tokens, "
				+ "CAST(sum(output_tokens) AS bigint) AS output_tokens, "
				+ "count(rating_normalized) AS rated_count, sum(CAST(rating_normalized AS numeric)) AS rating_sum, "
				+ "count(feedback) AS feedback_count, count(*) FILTER (WHERE status = 'error') AS error_count, "
				+ "percentile_cont(0.5) WITHIN GROUP (ORDER BY output_tokens) AS p50_output_tokens, "
				+ "percentile_cont(0.95) WITHIN GROUP (ORDER BY output_tokens) AS p95_output_tokens, "
				+ (priced ? "CASE WHEN count(*) FILTER (WHERE price.input_price IS NULL) = 0 THEN "
						+ "sum(COALESCE(input_tokens, 0) * price.input_price + COALESCE(output_tokens, 0) * "
						+ "price.output_price) / 1000000 END AS cost" : "CAST(NULL AS numeric) AS cost");
		String from = " FROM interaction" + (priced ? priceJoin(where.params, "created_at", "model") : "");
		return new Query(select(keys, select) + from + where.sql() + groupBy(keys), where.params);
	}

	/**
	 * The rollups of the whole UTC hours of the range, and the matching rows of the
	 * partial hours at either end (when {@code createdFrom} or {@code createdTo} is not
	 * on a whole hour) in the rollups' shape, summed per group.
	 */
	private Query rollupQuery(InteractionFilter filter, List<Dimension> dimensions, Interval interval, ZoneId zone) {
		Where rollups = Where.ofRollups(filter, this.scope);
		Where rows = Where.of(filter, this.scope);
		Map<String, Object> params = new HashMap<>(rows.params);
		params.putAll(rollups.params);
		Instant from = filter.createdFrom();
		Instant to = filter.createdTo();
		List<String> edges = new ArrayList<>();
		if (from != null) {
			Instant wholeFrom = ceilHour(from);
			rollups.add("hour >= :wholeFrom");
			params.put("wholeFrom", Rows.timestamp(wholeFrom));
			if (!wholeFrom.equals(from)) {
				edges.add("created_at < :wholeFrom");
			}
		}
		if (to != null) {
			Instant wholeTo = floorHour(to);
			rollups.add("hour < :wholeTo");
			params.put("wholeTo", Rows.timestamp(wholeTo));
			if (!wholeTo.equals(to)) {
				edges.add("created_at >= :wholeTo");
			}
		}
		String union = "SELECT hour AS at, connection, source, model, status, count, input_count, input_tokens, "
				+ "output_count, output_tokens, rated_count, rating_sum, feedback_count, " + TokenHistogram.columns()
				+ " FROM interaction_rollup" + rollups.sql();
		if (!edges.isEmpty()) {
			rows.add("(" + String.join(" OR ", edges) + ")");
			union += " UNION ALL SELECT created_at, connection, source, model, status, 1, "
					+ "CASE WHEN input_tokens IS NULL THEN 0 ELSE 1 END, COALESCE(input_tokens, 0), "
					+ "CASE WHEN output_tokens IS NULL THEN 0 ELSE 1 END, COALESCE(output_tokens, 0), "
					+ "CASE WHEN rating_normalized IS NULL THEN 0 ELSE 1 END, "
					+ "COALESCE(CAST(rating_normalized AS numeric), 0), CASE WHEN feedback IS NULL THEN 0 ELSE 1 END, "
					+ TokenHistogram.columnsOfBin() + " FROM (SELECT created_at, connection, source, model, status, "
					+ "input_tokens, output_tokens, rating_normalized, feedback, "
					+ "interaction_token_bin(output_tokens) AS bin FROM interaction" + rows.sql() + ") AS edge";
		}
		List<String> keys = keys("at", dimensions, interval, zone, params);
		boolean priced = !this.prices.isEmpty();
		String select = "CAST(sum(count) AS bigint) AS count, "
				+ "CASE WHEN sum(input_count) > 0 THEN CAST(sum(input_tokens) AS bigint) END AS input_tokens, "
				+ "CASE WHEN sum(output_count) > 0 THEN CAST(sum(output_tokens) AS bigint) END AS output_tokens, "
				+ "CAST(sum(rated_count) AS bigint) AS rated_count, "
				+ "CASE WHEN sum(rated_count) > 0 THEN sum(rating_sum) END AS rating_sum, "
				+ "CAST(sum(feedback_count) AS bigint) AS feedback_count, "
				+ "CAST(COALESCE(sum(count) FILTER (WHERE status = 'error'), 0) AS bigint) AS error_count, "
				+ TokenHistogram.sums() + ", (SELECT " + VERSION + ") AS rollup_version, "
				+ (priced ? "CASE WHEN COALESCE(sum(count) FILTER (WHERE price.input_price IS NULL), 0) = 0 THEN "
						+ "sum(input_tokens * price.input_price + output_tokens * price.output_price) / 1000000 "
						+ "END AS cost" : "CAST(NULL AS numeric) AS cost");
		String source = " FROM (" + union + ") AS r" + (priced ? priceJoin(params, "r.at", "r.model") : "");
		return new Query(select(keys, select) + source + groupBy(keys), params);
	}

	private static Instant floorHour(Instant instant) {
		return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), 3600) * 3600);
	}

	private static Instant ceilHour(Instant instant) {
		Instant floor = floorHour(instant);
		return floor.equals(instant) ? floor : floor.plusSeconds(3600);
	}

	/** The group's key expressions over a row's creation time {@code time}. */
	private static List<String> keys(String time, List<Dimension> dimensions, Interval interval, ZoneId zone,
			Map<String, Object> params) {
		List<String> keys = new ArrayList<>();
		if (interval != null) {
			keys.add("date_trunc('" + interval.apiValue() + "', " + time + ", :zone) AS bucket");
			params.put("zone", zone.getId());
		}
		for (Dimension dimension : dimensions) {
			keys.add(dimension.expression() + " AS " + dimension.apiValue());
		}
		return keys;
	}

	private static String select(List<String> keys, String metrics) {
		return "SELECT " + String.join(", ", keys) + (keys.isEmpty() ? "" : ", ") + metrics;
	}

	private static String groupBy(List<String> keys) {
		return (keys.isEmpty() ? ""
				: " GROUP BY "
						+ String.join(", ", IntStream.rangeClosed(1, keys.size()).mapToObj(Integer::toString).toList())
						+ " ORDER BY "
						+ String.join(", ",
								IntStream.rangeClosed(1, keys.size()).mapToObj((i) -> i + " NULLS LAST").toList()))
				+ " LIMIT :maxGroups";
	}

	/**
	 * @param version where the rollups' version the answer was read at goes (the query
	 * reads the rollups when given)
	 */
	private List<InteractionStatsPage.Group> groups(Query query, Interval interval, ZoneId zone,
			List<Dimension> dimensions, long @Nullable [] version) {
		try {
			return this.jdbc.sql(query.sql()).params(query.params()).query((rs, row) -> {
				if (version != null) {
					version[0] = rs.getLong("rollup_version");
				}
				return group(rs, interval, zone, dimensions, version != null);
			}).list();
		}
		catch (org.springframework.dao.DataAccessException ex) {
			if (interval != null && ex.getMostSpecificCause().getMessage() != null
					&& ex.getMostSpecificCause().getMessage().contains("time zone")) {
				// a zone Java knows and this PostgreSQL's time zone data does not
				throw new InvalidParameter("tz",
						"Parameter 'tz': PostgreSQL does not know the time zone '" + zone.getId() + "'");
			}
			throw ex;
		}
	}

	/**
	 * The sum of every connection's rollup version: it moves with every change of them.
	 */
	private long version() {
		return this.jdbc.sql("SELECT " + VERSION).query(Long.class).single();
	}

	private static final String VERSION = "CAST(COALESCE(sum(version), 0) AS bigint) FROM interaction_rollup_version";

	private record Query(String sql, Map<String, Object> params) {
	}

	/** An answer read from the rollups, and the version it was read at. */
	private record Answer(long version, List<InteractionStatsPage.Group> groups) {
	}

	/**
	 * Answers read from the rollups, by query, the least recently used dropped beyond
	 * {@link #CACHED_GROUPS} groups in all: one is served again while the rollups'
	 * version has not moved, so a dashboard asking the same question every few seconds
	 * between syncs costs one read of a version.
	 */
	private static final class Answers {

		private final Map<String, Answer> byQuery = new LinkedHashMap<>(16, 0.75f, true);

		private long groups;

		synchronized Answer get(String key) {
			return this.byQuery.get(key);
		}

		synchronized void put(String key, Answer answer) {
			Answer replaced = this.byQuery.put(key, answer);
			this.groups += answer.groups().size() - ((replaced != null) ? replaced.groups().size() : 0);
			java.util.Iterator<Map.Entry<String, Answer>> eldest = this.byQuery.entrySet().iterator();
			while (this.groups > CACHED_GROUPS && eldest.hasNext()) {
				Map.Entry<String, Answer> entry = eldest.next();
				if (!entry.getKey().equals(key)) {
					this.groups -= entry.getValue().groups().size();
					eldest.remove();
				}
			}
		}

	}

	/**
	 * @return when the oldest and the newest row matching {@code where} were created
	 * (nulls when none does)
	 */
	private Instant[] span(Where where) {
		return this.jdbc.sql("SELECT min(created_at), max(created_at) FROM interaction" + where.sql())
			.params(where.params)
			.query((rs, row) -> new Instant[] { Rows.instant(rs, 1), Rows.instant(rs, 2) })
			.single();
	}

	/**
	 * Each row's price: the one of its model valid at its creation, from the configured
	 * table; none when there is none.
	 */
	private String priceJoin(Map<String, Object> params, String time, String model) {
		List<String> rows = new ArrayList<>();
		for (int i = 0; i < this.prices.size(); i++) {
			PricingProperties.Price price = this.prices.get(i);
			rows.add("(CAST(:priceModel" + i + " AS text), CAST(:priceFrom" + i + " AS timestamptz), CAST(:priceTo" + i
					+ " AS timestamptz), CAST(:priceIn" + i + " AS numeric), CAST(:priceOut" + i + " AS numeric))");
			params.put("priceModel" + i, price.model());
			params.put("priceFrom" + i, (price.validFrom() != null) ? Rows.timestamp(price.validFrom()) : null);
			params.put("priceTo" + i, (price.validTo() != null) ? Rows.timestamp(price.validTo()) : null);
			params.put("priceIn" + i, price.inputPerMillion());
			params.put("priceOut" + i, price.outputPerMillion());
		}
		return " LEFT JOIN LATERAL (SELECT p.input_price, p.output_price FROM (VALUES " + String.join(", ", rows)
				+ ") AS p(price_model, valid_from, valid_to, input_price, output_price) WHERE p.price_model = " + model
				+ " AND (p.valid_from IS NULL OR " + time + " >= p.valid_from) AND (p.valid_to IS NULL OR " + time
				+ " < p.valid_to) LIMIT 1) AS price ON true";
	}

	private static InteractionStatsPage.Group group(ResultSet rs, Interval interval, ZoneId zone,
			List<Dimension> dimensions, boolean histogram) throws SQLException {
		Map<String, String> key = new LinkedHashMap<>();
		for (Dimension dimension : dimensions) {
			key.put(dimension.apiValue(), rs.getString(dimension.apiValue()));
		}
		Instant bucket = (interval != null) ? Rows.instant(rs, "bucket") : null;
		long rated = rs.getLong("rated_count");
		BigDecimal ratings = rs.getBigDecimal("rating_sum");
		// the exact decimal sum over the count, whichever way it was summed
		Double average = (rated > 0 && ratings != null)
				? ratings.divide(BigDecimal.valueOf(rated), MathContext.DECIMAL128).doubleValue() : null;
		Double p50;
		Double p95;
		if (histogram) {
			long[] counts = new long[TokenHistogram.BINS];
			for (int b = 0; b < counts.length; b++) {
				counts[b] = rs.getLong("h" + b);
			}
			p50 = TokenHistogram.percentile(counts, 0.5);
			p95 = TokenHistogram.percentile(counts, 0.95);
		}
		else {
			p50 = rs.getObject("p50_output_tokens", Double.class);
			p95 = rs.getObject("p95_output_tokens", Double.class);
		}
		BigDecimal cost = rs.getBigDecimal("cost");
		return new InteractionStatsPage.Group((bucket != null) ? bucket.atZone(zone).toOffsetDateTime() : null, key,
				rs.getLong("count"), rs.getObject("input_tokens", Long.class),
				rs.getObject("output_tokens", Long.class), rated, average, rs.getLong("feedback_count"),
				rs.getLong("error_count"), p50, p95,
				(cost != null) ? cost.setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros() : null);
	}

	/**
	 * An IANA zone name, and only that: offsets such as {@code +05:00} or {@code UTC+5}
	 * are refused, because PostgreSQL reads them the POSIX way, with the sign reversed.
	 */
	private static ZoneId zone(String tz) {
		if (tz == null) {
			return ZoneId.of("UTC");
		}
		if (!ZoneId.getAvailableZoneIds().contains(tz)) {
			throw notAZone(tz);
		}
		try {
			return ZoneId.of(tz);
		}
		catch (DateTimeException ex) {
			throw notAZone(tz);
		}
	}

	private static InvalidParameter notAZone(String tz) {
		return new InvalidParameter("tz", "Parameter 'tz': '" + tz
				+ "' is not an IANA time zone name (such as Europe/Berlin, America/New_York or UTC; offsets like "
				+ "+05:00 are not accepted)");
	}

}
