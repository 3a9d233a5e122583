package io.tributary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tributary.interaction.InteractionWriter;
import io.tributary.interaction.NormalizedInteraction;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Many rows of one connection, written once and kept while they are there: what a long
 * export reads.
 */
public final class BulkRows {

	private BulkRows() {
	}

	/**
	 * Makes the connection hold exactly these rows.
	 * @param writer the writer
	 * @param jdbc to count what is there
	 * @param connection the connection
	 * @param rows how many
	 * @param textLength characters of each row's input and output text
	 */
	public static void ensure(InteractionWriter writer, JdbcClient jdbc, String connection, int rows, int textLength) {
		long stored = jdbc.sql("SELECT count(*) FROM interaction WHERE connection = ?")
			.param(connection)
			.query(Long.class)
			.single();
		if (stored == rows) {
			return;
		}
		jdbc.sql("DELETE FROM interaction WHERE connection = ?").param(connection).update();
		String text = "word ".repeat(textLength / 5 + 1).substring(0, textLength);
		List<NormalizedInteraction> batch = new ArrayList<>();
		for (int i = 0; i < rows; i++) {
			Instant at = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i);
			batch.add(NormalizedInteraction.builder("flockx", connection, "bulk-" + i)
				.timestamps(at, at)
				.text(text, text)
				.messages(List.of())
				.raw(JsonNodeFactory.instance.objectNode().put("id", i))
				.build());
			if (batch.size() == 500) {
				writer.write(batch, List.of());
				batch.clear();
			}
		}
		writer.write(batch, List.of());
	}

}
