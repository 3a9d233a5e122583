package io.tributary.interaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.tributary.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static io.tributary.interaction.Interactions.interaction;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks 10 000 interactions page by page, most of them sharing a created_at with many
 * others, while new ones keep arriving: every row present at the start comes back exactly
 * once and in order.
 */
@IntegrationTest
class KeysetWalkTests {

	private static final int ROWS = 10_000;

	private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	private Api api;

	@BeforeEach
	void tenThousandRowsInFiftyTimestamps() {
		this.api = new Api(this.mvc, this.json);
		Interactions.deleteAll(this.jdbc);
		List<NormalizedInteraction> batch = new ArrayList<>();
		for (int i = 0; i < ROWS; i++) {
			// 200 rows per second: pages of 150 always end inside a run of equal
			// created_at
			batch.add(interaction("row-" + i, T0.plusSeconds(i / 200)).build());
		}
		this.writer.write(batch);
	}

	@Test
	void newestFirstWalkReturnsEveryRowOnceInOrderWhileRowsArrive() {
		walk("-createdAt", true);
	}

	@Test
	void oldestFirstWalkReturnsEveryRowOnceInOrderWhileRowsArrive() {
		walk("createdAt", false);
	}

	@Test
	void updatedAtWalkReturnsEveryRowOnceInOrderWhileRowsArrive() {
		walk("-updatedAt", true);
	}

	private void walk(String sort, boolean descending) {
		Set<String> original = new HashSet<>(
				this.jdbc.sql("SELECT source_id FROM interaction").query(String.class).list());
		List<JsonNode> seen = new ArrayList<>();
		String cursor = null;
		int page = 0;
		do {
			var response = (cursor == null) ? this.api.get("/api/v1/interactions", "sort", sort, "limit", "150")
					: this.api.get("/api/v1/interactions", "sort", sort, "limit", "150", "cursor", cursor);
			assertThat(response.status()).isEqualTo(200);
			response.body().get("items").forEach(seen::add);
			cursor = response.body().get("page").get("nextCursor").asStringOpt().orElse(null);
			// new rows at the newest end, in the middle of the range and at the exact
			// timestamps being paged
			Instant middle = T0.plusSeconds(page % 50);
			this.writer.write(List.of(interaction("new-latest-" + page, T0.plusSeconds(100_000 + page)).build(),
					interaction("new-same-" + page, middle).build()));
			page++;
		}
		while (cursor != null);

		List<String> ids = seen.stream().map((item) -> item.get("sourceId").asString()).toList();
		List<String> originalSeen = ids.stream().filter(original::contains).toList();
		assertThat(originalSeen).hasSize(ROWS).doesNotHaveDuplicates();
		assertThat(new HashSet<>(originalSeen)).isEqualTo(original);
		assertThat(ids).doesNotHaveDuplicates();
		String field = sort.replace("-", "");
		for (int i = 1; i < seen.size(); i++) {
			int compare = compare(seen.get(i - 1), seen.get(i), field);
			assertThat(descending ? compare > 0 : compare < 0).as("order at %d", i).isTrue();
		}
	}

	private static int compare(JsonNode a, JsonNode b, String field) {
		int byTime = Instant.parse(a.get(field).asString()).compareTo(Instant.parse(b.get(field).asString()));
		return (byTime != 0) ? byTime : a.get("id").asString().compareTo(b.get("id").asString());
	}

}
