package io.tributary.hygiene;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding a value by its path, as a connection's participant mapping does.
 */
class FieldPathsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void theFirstMatchInDocumentOrderIsFound() {
		JsonNode item = JSON.readTree("""
				{"participant": {"user_id": "u-1", "name": "Ana"}, "metadata": {"user.email": "a@example.com"},
				 "turns": [{"author": "x"}, {"author": "y"}]}
				""");

		assertThat(first("participant.user_id", item).asString()).isEqualTo("u-1");
		assertThat(first("metadata[\"user.email\"]", item).asString()).isEqualTo("a@example.com");
		assertThat(first("turns.author", item).asString()).as("a name looks into arrays").isEqualTo("x");
		assertThat(first("turns[*].author", item).asString()).isEqualTo("x");
		assertThat(first("**.name", item).asString()).isEqualTo("Ana");
		assertThat(first("participant.missing", item)).isNull();
		assertThat(first("participant.user_id.deeper", item)).isNull();
	}

	@Test
	void onlyWhatAPathCanStillMatchIsWalked() {
		StringBuilder deep = new StringBuilder();
		for (int i = 0; i < 450; i++) {
			deep.append("{\"a\":");
		}
		deep.append("1").append("}".repeat(450));
		JsonNode item = JSON.readTree("{\"id\": \"x\", \"_meta\": " + deep + "}");

		assertThat(first("id", item).asString()).isEqualTo("x");
		assertThat(first("participant.user_id", item)).isNull();
	}

	private static JsonNode first(String path, JsonNode item) {
		return FieldPaths.compile(List.of(path)).first(item);
	}

}
