package io.tributary.interaction;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tributary.pricing.prices}: what a model's tokens cost, for the rollups'
 * {@code cost}. Never guessed: a model without a price valid at an interaction's creation
 * makes its group's cost null.
 *
 * @param prices one entry per model and period
 */
@ConfigurationProperties("tributary.pricing")
record PricingProperties(@Nullable List<Price> prices) {

	PricingProperties {
		prices = (prices != null) ? List.copyOf(prices) : List.of();
		for (int i = 0; i < prices.size(); i++) {
			Price price = prices.get(i);
			String at = "tributary.pricing.prices[" + i + "]";
			if (price.model() == null || price.model().isBlank()) {
				throw new IllegalArgumentException(at + ".model is required");
			}
			if (price.inputPerMillion() == null || price.outputPerMillion() == null
					|| price.inputPerMillion().signum() < 0 || price.outputPerMillion().signum() < 0) {
				throw new IllegalArgumentException(at + ".input-per-million and output-per-million are required and "
						+ "must not be negative (model '" + price.model() + "')");
			}
			if (price.validFrom() != null && price.validTo() != null && !price.validFrom().isBefore(price.validTo())) {
				throw new IllegalArgumentException(
						at + ".valid-from must be before valid-to (model '" + price.model() + "')");
			}
			for (int j = 0; j < i; j++) {
				if (prices.get(j).model().equals(price.model()) && prices.get(j).overlaps(price)) {
					throw new IllegalArgumentException(at + " overlaps tributary.pricing.prices[" + j
							+ "]: two prices for model '" + price.model() + "' at once");
				}
			}
		}
	}

	/**
	 * @param model the model name, as interactions carry it
	 * @param inputPerMillion price of a million input tokens
	 * @param outputPerMillion price of a million output tokens
	 * @param validFrom first instant the price applies (inclusive); null: always before
	 * @param validTo end of the price (exclusive); null: still valid
	 */
	record Price(String model, BigDecimal inputPerMillion, BigDecimal outputPerMillion, @Nullable Instant validFrom,
			@Nullable Instant validTo) {

		boolean overlaps(Price other) {
			Instant start = (this.validFrom != null) ? this.validFrom : Instant.MIN;
			Instant end = (this.validTo != null) ? this.validTo : Instant.MAX;
			Instant otherStart = (other.validFrom != null) ? other.validFrom : Instant.MIN;
			Instant otherEnd = (other.validTo != null) ? other.validTo : Instant.MAX;
			return start.isBefore(otherEnd) && otherStart.isBefore(end);
		}

	}

}
