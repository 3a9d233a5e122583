package io.tributary.source.zylon;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shapes Zylon's undocumented feedback body may take; a rating without its own scale
 * is read on the connection's (1..5 by default), whatever its value.
 */
class ZylonFeedbackTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "-", value = { "{\"rating\": 4}|4|1|5|-",
			"{\"score\": 0.8, \"comment\": \"ok\"}|-|-|-|ok", "{\"rating\": 1}|1|1|5|-",
			"{\"rating\": 0, \"min\": 0}|0|0|5|-", "{\"rating\": 9, \"max\": 10}|9|1|10|-",
			"{\"value\": 7, \"min\": 0, \"max\": 10}|7|0|10|-", "{\"stars\": 3, \"scale\": 5}|3|1|5|-",
			"{\"value\": 42}|-|-|-|-",
			"[{\"positive\": true, \"created_at\": \"2026-01-02\"}, {\"positive\": false, \"created_at\": \"2026-01-01\"}]|1|0|1|-",
			"{\"data\": {\"type\": \"thumbs_down\", \"text\": \"wrong\"}}|0|0|1|wrong", "{\"items\": []}|-|-|-|-",
			"{\"sentiment\": \"meh\", \"message\": \"hm\"}|-|-|-|hm", "null|-|-|-|-", "\"just text\"|-|-|-|-" })
	void everyPlausibleShapeIsReadOnTheDefaultScale(String body, String value, String min, String max, String text) {
		ZylonFeedback.Found found = ZylonFeedback.read(this.json.readTree(body));

		assertThat((found.value() != null) ? found.value().stripTrailingZeros().toPlainString() : null)
			.isEqualTo(value);
		assertThat((found.min() != null) ? found.min().toPlainString() : null).isEqualTo(min);
		assertThat((found.max() != null) ? found.max().toPlainString() : null).isEqualTo(max);
		assertThat(found.text()).isEqualTo(text);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "-",
			value = { "{\"rating\": 0}|0", "{\"rating\": 1}|1", "{\"score\": 0.5}|0.5", "{\"rating\": 2}|-" })
	void aConfiguredScaleAppliesToEveryValueAlike(String body, String value) {
		ZylonFeedback.Found found = ZylonFeedback.read(this.json.readTree(body),
				new ZylonSettings.FeedbackScale(java.math.BigDecimal.ZERO, java.math.BigDecimal.ONE));

		assertThat((found.value() != null) ? found.value().stripTrailingZeros().toPlainString() : null)
			.isEqualTo(value);
		if (value != null) {
			assertThat(found.min()).isEqualByComparingTo("0");
			assertThat(found.max()).isEqualByComparingTo("1");
		}
	}

}
