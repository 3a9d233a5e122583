package io.tributary.interaction;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tributary.common.ConnectionScope;
import io.tributary.common.DataFreshness;
import io.tributary.common.InvalidParameter;
import io.tributary.common.Rows;
import io.tributary.interaction.StatsOptions.Dimension;
import io.tributary.interaction.StatsOptions.Interval;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rollups of the interactions the list's filters select, computed in PostgreSQL in one
 * statement: grouped by the requested dimensions and, optionally, by time bucket cut in a
 * time zone ({@code date_trunc} with a zone, so days and months follow its
 * daylight-saving changes).
 */
@Component
class InteractionStats {

	/** The most groups (rows) one answer holds. */
	static final int MAX_GROUPS = 1000;

	/** The most time buckets a requested time range may span. */
	static final int MAX_BUCKETS = 1000;

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
		filter.check(this.kinds);
		ZoneId zone = zone(options.tz());
		List<Dimension> dimensions = (options.groupBy() != null) ? options.groupBy().stream().distinct().toList()
				: List.of();
		Interval interval = options.interval();
		Where where = Where.of(filter, this.scope);
		if (interval != null) {
			// an open end of the range is where the matching rows end
			java.time.Instant[] span = (filter.createdFrom() == null || filter.createdTo() == null) ? span(where)
					: null;
			java.time.Instant from = (filter.createdFrom() != null) ? filter.createdFrom() : span[0];
			java.time.Instant to = (filter.createdTo() != null) ? filter.createdTo() : span[1];
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
		List<String> keys = new ArrayList<>();
		if (interval != null) {
			keys.add("date_trunc('" + interval.apiValue() + "', created_at, :zone) AS bucket");
			where.params.put("zone", zone.getId());
		}
		for (Dimension dimension : dimensions) {
			keys.add(dimension.expression() + " AS " + dimension.apiValue());
		}
		boolean priced = !this.prices.isEmpty();
		String select = String.join(", ", keys) + (keys.isEmpty() ? "" : ", ")
				+ "count(*) AS count, CAST(sum(input_tokens) AS bigint) AS input_tokens, "
				+ "CAST(sum(output_tokens) AS bigint) AS output_tokens, "
				+ "count(rating_normalized) AS rated_count, avg(rating_normalized) AS avg_rating, "
				+ "count(feedback) AS feedback_count, count(*) FILTER (WHERE status = 'error') AS error_count, "
				+ "percentile_cont(0.5) WITHIN GROUP (ORDER BY output_tokens) AS p50_output_tokens, "
				+ "percentile_cont(0.95) WITHIN GROUP (ORDER BY output_tokens) AS p95_output_tokens, "
				+ (priced ? "CASE WHEN count(*) FILTER (WHERE price.input_price IS NULL) = 0 THEN "
						+ "sum(COALESCE(input_tokens, 0) * price.input_price + COALESCE(output_tokens, 0) * "
						+ "price.output_price) / 1000000 END AS cost" : "CAST(NULL AS numeric) AS cost");
		String from = " FROM interaction" + (priced ? priceJoin(where) : "");
		String groupBy = keys.isEmpty() ? ""
				: " GROUP BY " + String.join(", ",
						java.util.stream.IntStream.rangeClosed(1, keys.size()).mapToObj(Integer::toString).toList())
						+ " ORDER BY "
						+ String.join(", ",
								java.util.stream.IntStream.rangeClosed(1, keys.size())
									.mapToObj((i) -> i + " NULLS LAST")
									.toList());
		where.params.put("maxGroups", MAX_GROUPS + 1);
		List<InteractionStatsPage.Group> groups;
		try {
			groups = this.jdbc.sql("SELECT " + select + from + where.sql() + groupBy + " LIMIT :maxGroups")
				.params(where.params)
				.query((rs, row) -> group(rs, interval, zone, dimensions))
				.list();
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
		if (groups.size() > MAX_GROUPS) {
			String parameter = !dimensions.isEmpty() ? "groupBy" : "interval";
			throw new InvalidParameter(parameter,
					"Parameter '" + parameter + "': the answer would hold more than " + MAX_GROUPS
							+ " groups; narrow the filters or the time range, group by fewer dimensions or use "
							+ "a coarser interval");
		}
		return new InteractionStatsPage(dimensions.stream().map(Dimension::apiValue).toList(),
				(interval != null) ? interval.apiValue() : null, zone.getId(), groups,
				this.freshness.of(filter.source(), filter.connection()));
	}

	/**
	 * @return when the oldest and the newest row matching {@code where} were created
	 * (nulls when none does)
	 */
	private java.time.Instant[] span(Where where) {
		return this.jdbc.sql("SELECT min(created_at), max(created_at) FROM interaction" + where.sql())
			.params(where.params)
			.query((rs, row) -> new java.time.Instant[] { Rows.instant(rs, 1), Rows.instant(rs, 2) })
			.single();
	}

	/**
	 * Each row's price: the one of its model valid at its creation, from the configured
	 * table; none when there is none.
	 */
	private String priceJoin(Where where) {
		List<String> rows = new ArrayList<>();
		for (int i = 0; i < this.prices.size(); i++) {
			PricingProperties.Price price = this.prices.get(i);
			rows.add("(CAST(:priceModel" + i + " AS text), CAST(:priceFrom" + i + " AS timestamptz), CAST(:priceTo" + i
					+ " AS timestamptz), CAST(:priceIn" + i + " AS numeric), CAST(:priceOut" + i + " AS numeric))");
			where.params.put("priceModel" + i, price.model());
			where.params.put("priceFrom" + i, (price.validFrom() != null) ? Rows.timestamp(price.validFrom()) : null);
			where.params.put("priceTo" + i, (price.validTo() != null) ? Rows.timestamp(price.validTo()) : null);
			where.params.put("priceIn" + i, price.inputPerMillion());
			where.params.put("priceOut" + i, price.outputPerMillion());
		}
		return " LEFT JOIN LATERAL (SELECT p.input_price, p.output_price FROM (VALUES " + String.join(", ", rows)
				+ ") AS p(price_model, valid_from, valid_to, input_price, output_price) WHERE p.price_model = model "
				+ "AND (p.valid_from IS NULL OR created_at >= p.valid_from) "
				+ "AND (p.valid_to IS NULL OR created_at < p.valid_to) LIMIT 1) AS price ON true";
	}

	private static InteractionStatsPage.Group group(ResultSet rs, Interval interval, ZoneId zone,
			List<Dimension> dimensions) throws SQLException {
		Map<String, String> key = new LinkedHashMap<>();
		for (Dimension dimension : dimensions) {
			key.put(dimension.apiValue(), rs.getString(dimension.apiValue()));
		}
		java.time.Instant bucket = (interval != null) ? Rows.instant(rs, "bucket") : null;
		BigDecimal cost = rs.getBigDecimal("cost");
		return new InteractionStatsPage.Group((bucket != null) ? bucket.atZone(zone).toOffsetDateTime() : null, key,
				rs.getLong("count"), rs.getObject("input_tokens", Long.class),
				rs.getObject("output_tokens", Long.class), rs.getLong("rated_count"),
				rs.getObject("avg_rating", Double.class), rs.getLong("feedback_count"), rs.getLong("error_count"),
				rs.getObject("p50_output_tokens", Double.class), rs.getObject("p95_output_tokens", Double.class),
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
