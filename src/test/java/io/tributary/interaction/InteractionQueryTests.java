package io.tributary.interaction;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.tributary.common.DomainException;
import io.tributary.common.InvalidCursor;
import io.tributary.common.InvalidParameter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.tributary.interaction.Filters.filter;
import static io.tributary.interaction.Interactions.interaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the read side refuses once parameters are well-formed: kinds nobody registered,
 * contradicting ranges, cursors that are not this request's, ids that do not exist — each
 * as a domain exception naming the parameter (the web edge turns them into problems).
 */
@InteractionDatabaseTest
class InteractionQueryTests {

	private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

	@Autowired
	private InteractionQuery query;

	@Autowired
	private InteractionWriter writer;

	@Autowired
	private JdbcClient jdbc;

	@BeforeEach
	void threeInteractions() {
		Interactions.deleteAll(this.jdbc);
		this.writer.write(List.of(interaction("a", T0).build(), interaction("b", T0.plusSeconds(1)).build(),
				interaction("c", T0.plusSeconds(2)).build()));
	}

	@Test
	void aKindNobodyRegisteredIsRefusedWithTheRegisteredOnes() {
		assertThatExceptionOfType(InvalidParameter.class)
			.isThrownBy(() -> this.query.page(filter().source("greenflash", "slack").build()))
			.satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("source"))
			.withMessageContaining("'slack' is not one of the allowed values: "
					+ String.join(", ", new java.util.TreeSet<>(InteractionDatabaseTest.Kinds.NAMES)));
		assertThat(this.query.page(filter().source("greenflash").build()).items()).hasSize(3);
	}

	@Test
	void createdFromAfterCreatedToIsRefused() {
		assertThatExceptionOfType(InvalidParameter.class)
			.isThrownBy(() -> this.query.page(filter().created(T0.plusSeconds(60), T0).build()))
			.satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("createdFrom"))
			.withMessageContaining("is after 'createdTo'");
	}

	@Test
	void minRatingAboveMaxRatingIsRefused() {
		assertThatExceptionOfType(InvalidParameter.class)
			.isThrownBy(() -> this.query.page(filter().rating(0.8, 0.2).build()))
			.satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("minRating"))
			.withMessageContaining("greater than 'maxRating'");
	}

	@Test
	void aTamperedOrForeignCursorIsRefused() {
		String cursor = this.query.page(filter().limit(1).build()).page().nextCursor();
		String tampered = cursor.substring(0, 4) + (cursor.charAt(4) == 'A' ? 'B' : 'A') + cursor.substring(5);

		for (String bad : List.of(tampered, "not-a-cursor", "", cursor + "x", "." + cursor)) {
			assertThatExceptionOfType(InvalidCursor.class)
				.isThrownBy(() -> this.query.page(filter().limit(1).cursor(bad).build()))
				.withMessageContaining("not a cursor issued by this API");
		}
	}

	@Test
	void aCursorReusedWithOtherFiltersOrSortIsRefusedButTheLimitMayChange() {
		String cursor = this.query.page(filter().limit(1).build()).page().nextCursor();

		assertThatExceptionOfType(InvalidCursor.class)
			.isThrownBy(() -> this.query.page(filter().limit(1).cursor(cursor).source("zylon").build()))
			.withMessageContaining("different sort or different filters");
		assertThatExceptionOfType(InvalidCursor.class).isThrownBy(
				() -> this.query.page(filter().limit(1).cursor(cursor).sort(InteractionSort.UPDATED_AT_DESC).build()))
			.withMessageContaining("different sort or different filters");
		assertThat(this.query.page(filter().limit(2).cursor(cursor).build()).items())
			.extracting(InteractionSummary::sourceId)
			.containsExactly("b", "a");
	}

	@Test
	void anUnknownIdIsNotFound() {
		UUID id = UUID.randomUUID();
		assertThatExceptionOfType(InteractionNotFound.class).isThrownBy(() -> this.query.detail(id, false))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(DomainException.Kind.NOT_FOUND))
			.satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("id"))
			.withMessage("No interaction with id " + id);
	}

	@Test
	void listAndDetailShowTheSameFields() {
		InteractionSummary listed = this.query.page(filter().limit(1).build()).items().get(0);

		InteractionDetail detail = this.query.detail(listed.id(), true);

		assertThat(detail.summary()).isEqualTo(listed);
		assertThat(detail.messages()).extracting(Message::text).containsExactly("question c", "answer c");
		assertThat(detail.raw().get("id").asString()).isEqualTo("c");
		assertThat(this.query.detail(listed.id(), false).raw()).isNull();
	}

}
