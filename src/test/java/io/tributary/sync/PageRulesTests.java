package io.tributary.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tributary.hygiene.FieldPaths;
import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.SourcePage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules a page goes through before it is written, without Spring or a database.
 */
class PageRulesTests {

	private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

	private static final Duration SKEW = Duration.ofMinutes(5);

	@Test
	void itemsOlderThanTheRetentionCutoffAreLeftOut() {
		PageRules rules = rules(Duration.between(Instant.parse("2026-11-01T00:00:00Z"), START), null);
		SourcePage page = page(item("old", "2026-10-31T23:59:59Z"), item("kept", "2026-11-01T00:00:00Z"));

		assertThat(rules.apply(page, START).items()).extracting(NormalizedInteraction::sourceId)
			.containsExactly("kept");
		assertThat(rules.apply(page, START).listedIds()).as("still listed: not a deletion")
			.containsExactly("old", "kept");
		assertThat(rules(null, null).apply(page, START)).as("no retention: the same page").isSameAs(page);
		assertThat(rules.apply(page, START.plusSeconds(1)).items()).as("the cutoff moves with the time a page is read")
			.isEmpty();
	}

	@Test
	void theParticipantMappingTakesTheValueAtItsPathAndLeavesItemsWithoutOne() {
		PageRules rules = rules(null, "participant.user_id");
		NormalizedInteraction named = item("a", participant().put("user_id", "  u-1 "));
		NormalizedInteraction numbered = item("b", participant().put("user_id", 42));
		NormalizedInteraction blank = item("c", participant().put("user_id", " "));
		NormalizedInteraction object = item("d", participant().set("user_id", participant()));
		NormalizedInteraction none = item("e", "2026-11-20T10:00:00Z");
		NormalizedInteraction listed = item("f", participant().set("user_id",
				JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode()).add("u-2")));

		NormalizedInteraction inArray = NormalizedInteraction.builder("flockx", "rules", "g")
			.timestamps(START, START)
			.raw(JsonNodeFactory.instance.objectNode()
				.put("id", "g")
				.set("participant",
						JsonNodeFactory.instance.arrayNode()
							.add(JsonNodeFactory.instance.objectNode().put("name", "no id"))
							.add(JsonNodeFactory.instance.objectNode().put("user_id", "u-3"))))
			.build();

		assertThat(rules.apply(page(named, numbered, blank, object, none, listed, inArray), START).items())
			.extracting(NormalizedInteraction::participantExternalId)
			.as("where a name meets an array, the first element that has the field")
			.containsExactly("u-1", "42", null, null, null, null, "u-3");
	}

	@Test
	void itemsPastTheTimeTheyAreReadPlusTheSkewAreFlagged() {
		PageRules rules = rules(null, null);
		SourcePage page = page(item("later", "2026-12-01T12:05:01Z"), item("now", "2026-12-01T12:05:00Z"));

		SourcePage applied = rules.apply(page, START);
		assertThat(applied.items().get(0).attributes().path(PageRules.FUTURE_FLAG).asBoolean()).isTrue();
		assertThat(applied.items().get(1).attributes().has(PageRules.FUTURE_FLAG)).isFalse();
		assertThat(rules.apply(page, START.plusSeconds(3600)).items())
			.as("read an hour into a long run: an update made since is not in the future")
			.noneMatch((item) -> item.attributes().has(PageRules.FUTURE_FLAG));
	}

	@Test
	void timesPastTheRunsStartPlusTheSkewNeverMoveAWatermark() {
		PageRules rules = rules(null, null);
		SourcePage page = page(item("later", "2026-12-01T12:05:01Z"), item("now", "2026-12-01T12:05:00Z"));

		assertThat(rules.newestBefore(page)).isEqualTo(Instant.parse("2026-12-01T12:05:00Z"));
		assertThat(rules.newestBefore(page(item("later", "2026-12-02T00:00:00Z")))).isNull();
	}

	private static PageRules rules(Duration maxAge, String participantPath) {
		return new PageRules(maxAge, (participantPath != null) ? FieldPaths.compile(List.of(participantPath)) : null,
				SKEW, START.plus(SKEW));
	}

	private static SourcePage page(NormalizedInteraction... items) {
		List<NormalizedInteraction> list = List.of(items);
		return new SourcePage("list", list, List.of(), list.size(),
				list.stream().map(NormalizedInteraction::sourceId).toList(),
				list.stream().map(NormalizedInteraction::createdAt).toList(),
				list.stream().map(NormalizedInteraction::updatedAt).toList(), null, false, null);
	}

	private static NormalizedInteraction item(String id, String at) {
		return NormalizedInteraction.builder("flockx", "rules", id)
			.timestamps(Instant.parse(at), Instant.parse(at))
			.raw(JsonNodeFactory.instance.objectNode().put("id", id))
			.build();
	}

	private static NormalizedInteraction item(String id, ObjectNode participant) {
		ObjectNode raw = JsonNodeFactory.instance.objectNode().put("id", id);
		raw.set("participant", participant);
		Instant at = Instant.parse("2026-11-20T10:00:00Z");
		return NormalizedInteraction.builder("flockx", "rules", id).timestamps(at, at).raw(raw).build();
	}

	private static ObjectNode participant() {
		return JsonNodeFactory.instance.objectNode();
	}

}
