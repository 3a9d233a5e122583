package io.tributary.source.zylon;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shapes Zylon's undocumented feedback body may take.
 */
class ZylonFeedbackTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "-", value = { "{\"rating\": 4}|4|1|5|-",
			"{\"score\": 0.8, \"comment\": \"ok\"}|0.8|0|1|ok", "{\"value\": 7, \"min\": 0, \"max\": 10}|7|0|10|-",
			"{\"stars\": 3, \"scale\": 5}|3|1|5|-", "{\"value\": 42}|-|-|-|-",
			"[{\"positive\": true, \"created_at\": \"2026-01-02\"}, {\"positive\": false, \"created_at\": \"2026-01-01\"}]|1|0|1|-",
			"{\"data\": {\"type\": \"thumbs_down\", \"text\": \"wrong\"}}|0|0|1|wrong", "{\"items\": []}|-|-|-|-",
			"{\"sentiment\": \"meh\", \"message\": \"hm\"}|-|-|-|hm", "null|-|-|-|-", "\"just text\"|-|-|-|-" })
	void everyPlausibleShapeIsRead(String body, String value, String min, String max, String text) {
		ZylonFeedback.Found found = ZylonFeedback.read(this.json.readTree(body));

		assertThat((found.value() != null) ? found.value().stripTrailingZeros().toPlainString() : null)
			.isEqualTo(value);
		assertThat((found.min() != null) ? found.min().toPlainString() : null).isEqualTo(min);
		assertThat((found.max() != null) ? found.max().toPlainString() : null).isEqualTo(max);
		assertThat(found.text()).isEqualTo(text);
	}

}
