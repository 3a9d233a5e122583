package io.tributary.source.zylon;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads what {@code GET /v1/app/feedback/{targetId}} answers. Zylon documents the path
 * but not the body, so every plausible shape is read: one object, an array of them, or
 * either inside {@code data}, {@code items} or {@code feedback}; of several, the newest
 * ({@code created_at}, else the last). A rating is a number ({@code rating},
 * {@code score}, {@code value}, {@code stars}) on its stated scale
 * ({@code min}/{@code max}, or {@code scale} from 1), else on the connection's
 * {@code feedback-scale} (every value alike: never guessed from the value itself; outside
 * it, no rating; a bound the body does not state is the connection's); or a thumb
 * ({@code thumbs_up}, {@code positive}, {@code helpful}, {@code liked} as a boolean, or
 * {@code type}/{@code sentiment}/{@code reaction} as up/down, positive/negative,
 * like/dislike), on 0..1. Text is {@code comment}, {@code text}, {@code feedback} or
 * {@code message}. What fits none of these is no rating.
 */
final class ZylonFeedback {

	private ZylonFeedback() {
	}

	/**
	 * @param value the rating, null when none
	 * @param min the lowest value of its scale
	 * @param max the highest value of its scale
	 * @param text the feedback text, null when none
	 */
	record Found(@Nullable BigDecimal value, @Nullable BigDecimal min, @Nullable BigDecimal max,
			@Nullable String text) {

		boolean empty() {
			return this.value == null && this.text == null;
		}

	}

	static Found read(@Nullable JsonNode body) {
		return read(body, ZylonSettings.FeedbackScale.DEFAULT);
	}

	/**
	 * @param body the feedback answer
	 * @param scale the connection's scale for ratings that state none
	 * @return what it says
	 */
	static Found read(@Nullable JsonNode body, ZylonSettings.FeedbackScale scale) {
		JsonNode entry = newest(entries(body));
		if (entry == null) {
			return new Found(null, null, null, null);
		}
		String text = firstText(entry, "comment", "text", "feedback", "message");
		for (String field : List.of("rating", "score", "value", "stars")) {
			JsonNode number = entry.get(field);
			if (number != null && number.isNumber()) {
				BigDecimal value = number.decimalValue();
				BigDecimal min = decimal(entry, "min");
				BigDecimal max = decimal(entry, "max");
				if (max == null) {
					max = decimal(entry, "scale");
					min = (max != null && min == null) ? BigDecimal.ONE : min;
				}
				if (min != null && max != null) {
					return (max.compareTo(min) > 0) ? new Found(value, min, max, text)
							: new Found(null, null, null, text);
				}
				// a bound not stated is the connection's
				BigDecimal lowest = (min != null) ? min : scale.min();
				BigDecimal highest = (max != null) ? max : scale.max();
				if (highest.compareTo(lowest) > 0 && value.compareTo(lowest) >= 0 && value.compareTo(highest) <= 0) {
					return new Found(value, lowest, highest, text);
				}
				return new Found(null, null, null, text);
			}
		}
		for (String field : List.of("thumbs_up", "positive", "helpful", "liked")) {
			JsonNode flag = entry.get(field);
			if (flag != null && flag.isBoolean()) {
				return new Found(flag.asBoolean() ? BigDecimal.ONE : BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE,
						text);
			}
		}
		String thumb = firstText(entry, "type", "sentiment", "reaction");
		if (thumb != null) {
			switch (thumb.toLowerCase(Locale.ROOT)) {
				case "up", "thumbs_up", "positive", "like", "good", "👍" -> {
					return new Found(BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ONE, text);
				}
				case "down", "thumbs_down", "negative", "dislike", "bad", "👎" -> {
					return new Found(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE, text);
				}
				default -> {
				}
			}
		}
		return new Found(null, null, null, text);
	}

	private static List<JsonNode> entries(@Nullable JsonNode body) {
		List<JsonNode> entries = new ArrayList<>();
		if (body == null || body.isNull() || body.isMissingNode()) {
			return entries;
		}
		for (String envelope : List.of("data", "items", "feedback", "results")) {
			JsonNode inner = body.get(envelope);
			if (inner != null && (inner.isArray() || inner.isObject())) {
				return entries(inner);
			}
		}
		if (body.isArray()) {
			body.forEach((entry) -> {
				if (entry.isObject()) {
					entries.add(entry);
				}
			});
		}
		else if (body.isObject()) {
			entries.add(body);
		}
		return entries;
	}

	private static @Nullable JsonNode newest(List<JsonNode> entries) {
		JsonNode newest = null;
		String newestAt = null;
		for (JsonNode entry : entries) {
			String at = firstText(entry, "created_at", "updated_at", "createdAt");
			if (newest == null || (at != null && (newestAt == null || at.compareTo(newestAt) >= 0))) {
				newest = entry;
				newestAt = (at != null) ? at : newestAt;
			}
		}
		return newest;
	}

	private static @Nullable String firstText(JsonNode entry, String... fields) {
		for (String field : fields) {
			JsonNode value = entry.get(field);
			if (value != null && value.isString() && !value.asString().isBlank()) {
				return value.asString();
			}
		}
		return null;
	}

	private static @Nullable BigDecimal decimal(JsonNode entry, String field) {
		JsonNode value = entry.get(field);
		return (value != null && value.isNumber()) ? value.decimalValue() : null;
	}

}
