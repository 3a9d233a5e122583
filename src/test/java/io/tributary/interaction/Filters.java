package io.tributary.interaction;

import java.time.Instant;
import java.util.List;

/**
 * Builds {@link InteractionFilter}s for tests that call the query directly, naming only
 * the parameters a test sets.
 */
final class Filters {

	private List<String> source;

	private Instant createdFrom;

	private Instant createdTo;

	private Double minRating;

	private Double maxRating;

	private InteractionSort sort;

	private Integer limit;

	private String cursor;

	static Filters filter() {
		return new Filters();
	}

	Filters source(String... kinds) {
		this.source = List.of(kinds);
		return this;
	}

	Filters created(Instant from, Instant to) {
		this.createdFrom = from;
		this.createdTo = to;
		return this;
	}

	Filters rating(Double min, Double max) {
		this.minRating = min;
		this.maxRating = max;
		return this;
	}

	Filters sort(InteractionSort sort) {
		this.sort = sort;
		return this;
	}

	Filters limit(int limit) {
		this.limit = limit;
		return this;
	}

	Filters cursor(String cursor) {
		this.cursor = cursor;
		return this;
	}

	InteractionFilter build() {
		return new InteractionFilter(this.source, null, null, null, null, null, null, null, null, this.createdFrom,
				this.createdTo, null, this.minRating, this.maxRating, null, null, this.sort, this.limit, this.cursor,
				null, null);
	}

}
