package io.tributary.interaction;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Test data for the interaction table.
 */
final class Interactions {

	private Interactions() {
	}

	static NormalizedInteraction.Builder interaction(String sourceId, Instant createdAt) {
		return NormalizedInteraction.builder("greenflash", "test-connection", sourceId)
			.timestamps(createdAt, createdAt)
			.text("question " + sourceId, "answer " + sourceId)
			.messages(List.of(new Message("user", "text", "question " + sourceId),
					new Message("assistant", "text", "answer " + sourceId)))
			.raw(JsonNodeFactory.instance.objectNode().put("id", sourceId));
	}

	static void deleteAll(JdbcClient jdbc) {
		jdbc.sql("TRUNCATE interaction").update();
	}

}
