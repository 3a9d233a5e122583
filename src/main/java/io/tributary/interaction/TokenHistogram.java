package io.tributary.interaction;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

/**
 * The fixed histogram of output tokens kept in {@code interaction_rollup} (columns
 * {@code h0..h145}), and percentiles read from it. The bins are those of the SQL function
 * {@code interaction_token_bin} (migration V17): bin 0 holds negative counts, bins 1..16
 * the exact values 0..15, then eight bins per power of two from 16 up to 1 048 575, and
 * the last bin 1 048 576 and more.
 * <p>
 * A bin of the octave {@code [2^m, 2^(m+1))} is {@code 2^(m-3)} wide, at most an eighth
 * of its lower bound, so its midpoint lies within a sixteenth of any value in it. A
 * percentile is interpolated between the midpoints of the bins holding the two order
 * statistics {@code percentile_cont} interpolates between, so it is within 1/16 (6.25%)
 * of the exact {@code percentile_cont}, and exact below 16. Where an order statistic lies
 * in one of the two open-ended bins there is no bound: the caller computes the exact
 * figure instead.
 */
final class TokenHistogram {

	/** How many bins (and {@code h} columns) there are. */
	static final int BINS = 146;

	/** The lowest value of bins 1..145; bin 0 is everything below 0. */
	private static final long[] LOWER = lowerBounds();

	private TokenHistogram() {
	}

	private static long[] lowerBounds() {
		long[] lower = new long[BINS - 1];
		int i = 0;
		for (long value = 0; value < 16; value++) {
			lower[i++] = value;
		}
		for (int m = 4; m < 20; m++) {
			for (int s = 0; s < 8; s++) {
				lower[i++] = (1L << m) + s * (1L << (m - 3));
			}
		}
		lower[i] = 1L << 20;
		return lower;
	}

	/**
	 * @param tokens an output token count
	 * @return its bin, as {@code interaction_token_bin} computes it
	 */
	static int bin(long tokens) {
		int found = Arrays.binarySearch(LOWER, tokens);
		return (found >= 0) ? found + 1 : -found - 1;
	}

	/**
	 * @param counts how many values each bin holds ({@link #BINS} of them)
	 * @param p the fraction, 0..1
	 * @return the estimate of {@code percentile_cont(p)}; null when the histogram is
	 * empty
	 * @throws Unbounded when an order statistic it needs lies in an open-ended bin
	 */
	static @Nullable Double percentile(long[] counts, double p) {
		long n = 0;
		for (long count : counts) {
			n += count;
		}
		if (n == 0) {
			return null;
		}
		double position = p * (n - 1);
		long below = (long) Math.floor(position);
		long above = (long) Math.ceil(position);
		double low = orderStatistic(counts, below);
		double high = (above == below) ? low : orderStatistic(counts, above);
		return low + (position - below) * (high - low);
	}

	/** The midpoint of the bin holding the {@code rank}th smallest value (from 0). */
	private static double orderStatistic(long[] counts, long rank) {
		long seen = 0;
		for (int bin = 0; bin < counts.length; bin++) {
			seen += counts[bin];
			if (rank < seen) {
				if (bin == 0 || bin == BINS - 1) {
					throw new Unbounded();
				}
				// the integers LOWER[bin - 1] .. LOWER[bin] - 1
				return (LOWER[bin - 1] + LOWER[bin] - 1) / 2.0;
			}
		}
		throw new IllegalArgumentException("rank " + rank + " beyond the histogram's " + seen + " values");
	}

	private static final String SUMS = IntStream.range(0, BINS)
		.mapToObj((b) -> "sum(h" + b + ") AS h" + b)
		.collect(Collectors.joining(", "));

	private static final String COLUMNS = IntStream.range(0, BINS)
		.mapToObj((b) -> "h" + b)
		.collect(Collectors.joining(", "));

	private static final String COLUMNS_OF_BIN = IntStream.range(0, BINS)
		.mapToObj((b) -> "CASE WHEN bin = " + b + " THEN 1 ELSE 0 END AS h" + b)
		.collect(Collectors.joining(", "));

	/**
	 * @return the select list summing every bin column: {@code sum(h0) AS h0, …}
	 */
	static String sums() {
		return SUMS;
	}

	/**
	 * @return one row's bin columns from its column {@code bin}: 1 in its bin's column, 0
	 * in the others
	 */
	static String columnsOfBin() {
		return COLUMNS_OF_BIN;
	}

	/**
	 * @return the bin columns by name: {@code h0, h1, …}
	 */
	static String columns() {
		return COLUMNS;
	}

	/** An order statistic lies in an open-ended bin: the histogram cannot bound it. */
	static final class Unbounded extends RuntimeException {

		Unbounded() {
			super("an order statistic lies in an open-ended bin", null, false, false);
		}

	}

}
