package io.tributary.source.greenflash;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listed item against the stored one: its own fields only, numbers by value.
 */
class ListedContentTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@ParameterizedTest(name = "{0} against {1}")
	@CsvSource(delimiter = '|', value = { "{\"rating\": 4}|{\"rating\": 4.0, \"messages\": [1]}|true",
			"{\"rating\": 4}|{\"rating\": 5}|false", "{\"feedback\": null}|{}|true", "{\"feedback\": \"x\"}|{}|false",
			"{\"properties\": {\"a\": 1}}|{\"properties\": {\"a\": 1, \"b\": 2}}|false",
			"{\"properties\": {\"a\": [1, 2]}}|{\"properties\": {\"a\": [1, 2.0]}}|true",
			"{\"properties\": {\"a\": [1, 2]}}|{\"properties\": {\"a\": [2, 1]}}|false" })
	void comparesTheListedFields(String listed, String stored, boolean same) {
		assertThat(ListedContent.same(this.json.readTree(listed), this.json.readTree(stored))).isEqualTo(same);
	}

}
