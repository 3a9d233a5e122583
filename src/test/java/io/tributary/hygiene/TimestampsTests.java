package io.tributary.hygiene;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TimestampsTests {

	private static final Instant INSTANT = Instant.parse("2023-11-07T05:31:56Z");

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	@ParameterizedTest
	@ValueSource(strings = { "2023-11-07T05:31:56Z", "2023-11-07 05:31:56Z", "2023-11-07 05:31:56+00:00",
			"2023-11-07T05:31:56+00:00", "2023-11-07 05:31:56 +00:00", "2023-11-07T05:31:56+0000",
			"2023-11-07T05:31:56+00", "2023-11-07T06:31:56+01:00", "2023-11-07 05:31:56 UTC", "2023-11-07t05:31:56z",
			"2023-11-07T06:31:56[Europe/Paris]", "2023-11-07T06:31:56+01:00[Europe/Paris]", " 2023-11-07T05:31:56Z " })
	void readsIsoWithAZoneWhateverTheSeparator(String text) {
		Timestamps.Parsed parsed = Timestamps.read(text);

		assertThat(parsed.instant()).isEqualTo(INSTANT);
		assertThat(parsed.withoutZone()).isFalse();
		assertThat(Timestamps.parse(text)).isEqualTo(INSTANT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "2023-11-07T05:31:56", "2023-11-07 05:31:56", "2023-11-07 05:31:56.000000" })
	void takesZoneLessTimesAsUtcAndSaysSo(String text) {
		Timestamps.Parsed parsed = Timestamps.read(text);

		assertThat(parsed.instant()).isEqualTo(INSTANT);
		assertThat(parsed.withoutZone()).isTrue();
	}

	@Test
	void keepsFractionsUpToNanoseconds() {
		assertThat(Timestamps.parse("2023-11-07 05:31:56.123456"))
			.isEqualTo(Instant.parse("2023-11-07T05:31:56.123456Z"));
		assertThat(Timestamps.parse("2023-11-07T05:31:56,5Z")).isEqualTo(Instant.parse("2023-11-07T05:31:56.500Z"));
		assertThat(Timestamps.parse("2023-11-07T05:31:56.1234567891Z"))
			.isEqualTo(Instant.parse("2023-11-07T05:31:56.123456Z"));
	}

	@Test
	void cutsEveryTimeToTheMicrosecondsPostgresKeeps() {
		assertThat(Timestamps.parse("2023-11-07T05:31:56.123456789Z"))
			.isEqualTo(Instant.parse("2023-11-07T05:31:56.123456Z"));
		assertThat(Timestamps.parse("1699335116123456789")).isEqualTo(Instant.parse("2023-11-07T05:31:56.123456Z"));
		assertThat(Timestamps.parse("1699335116.1234567")).isEqualTo(Instant.parse("2023-11-07T05:31:56.123456Z"));
	}

	@Test
	void aZoneLessTimeIsTakenInTheGivenZone() {
		Timestamps.Parsed parsed = Timestamps.read("2026-11-20T10:00:00", java.time.ZoneId.of("Europe/Berlin"));

		assertThat(parsed.instant()).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
		assertThat(parsed.withoutZone()).isTrue();
		assertThat(Timestamps.read(NODES.stringNode("2026-07-20 10:00:00"), java.time.ZoneId.of("Europe/Berlin"))
			.instant()).as("summer time").isEqualTo(Instant.parse("2026-07-20T08:00:00Z"));
		assertThat(Timestamps.read("2026-11-20T10:00:00Z", java.time.ZoneId.of("Europe/Berlin")).instant())
			.as("a time with its own zone keeps it")
			.isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "20231107", "19700101", "0", "-1000", "99999999999", "500000000000" })
	void refusesEpochNumbersOutsideThePlausibleRange(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Timestamps.parse(text))
			.withMessageContaining(text)
			.withMessageContaining("plausible");
		assertThatIllegalArgumentException().isThrownBy(() -> Timestamps.read(NODES.numberNode(new BigDecimal(text))))
			.withMessageContaining("plausible");
	}

	@Test
	void aRefusedFieldIsNamed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Timestamps.field("created_at", NODES.stringNode("20231107"), java.time.ZoneOffset.UTC))
			.withMessageStartingWith("created_at: '20231107'");
	}

	@Test
	void readsExpandedYears() {
		assertThat(Timestamps.parse("+300000-01-01T00:00:00Z")).isEqualTo(Instant.parse("+300000-01-01T00:00:00Z"));
	}

	@Test
	void aDateAloneIsItsMidnightWithoutZone() {
		Timestamps.Parsed parsed = Timestamps.read("2023-11-07");

		assertThat(parsed.instant()).isEqualTo(Instant.parse("2023-11-07T00:00:00Z"));
		assertThat(parsed.withoutZone()).isTrue();
	}

	@Test
	void tellsEpochUnitsApartByMagnitude() {
		assertThat(Timestamps.parse("1699335116")).as("seconds").isEqualTo(INSTANT);
		assertThat(Timestamps.parse("1699335116000")).as("milliseconds").isEqualTo(INSTANT);
		assertThat(Timestamps.parse("1699335116000000")).as("microseconds").isEqualTo(INSTANT);
		assertThat(Timestamps.parse("1699335116000000000")).as("nanoseconds").isEqualTo(INSTANT);
		assertThat(Timestamps.parse("1699335116.25")).isEqualTo(INSTANT.plusMillis(250));
		assertThat(Timestamps.parse("1699335116250")).isEqualTo(INSTANT.plusMillis(250));
		assertThat(Timestamps.parse("1.699335116E9")).isEqualTo(INSTANT);
		assertThat(Timestamps.read("1699335116").withoutZone()).isFalse();
	}

	@Test
	void theRangeOfEveryUnitIsReadRight() {
		assertThat(Timestamps.parse("946684800")).isEqualTo(Timestamps.PLAUSIBLE_FROM);
		assertThat(Timestamps.parse("7258118399")).isEqualTo(Timestamps.PLAUSIBLE_UNTIL.minusSeconds(1));
		assertThat(Timestamps.parse("946684800000")).isEqualTo(Timestamps.PLAUSIBLE_FROM);
		assertThat(Timestamps.parse("7258118399999999")).isEqualTo(Timestamps.PLAUSIBLE_UNTIL.minusNanos(1000));
	}

	@Test
	void readsJsonNumbersAndStrings() {
		assertThat(Timestamps.read(NODES.numberNode(1699335116L)).instant()).isEqualTo(INSTANT);
		assertThat(Timestamps.read(NODES.numberNode(1699335116000L)).instant()).isEqualTo(INSTANT);
		assertThat(Timestamps.read(NODES.numberNode(new BigDecimal("1699335116.5"))).instant())
			.isEqualTo(INSTANT.plusMillis(500));
		assertThat(Timestamps.read(NODES.numberNode(1699335116.5d)).instant()).isEqualTo(INSTANT.plusMillis(500));
		assertThat(Timestamps.read(NODES.stringNode("2023-11-07 05:31:56")).withoutZone()).isTrue();
		assertThat(Timestamps.read(NODES.nullNode())).isNull();
		assertThat(Timestamps.read(NODES.missingNode())).isNull();
		assertThat(Timestamps.read((tools.jackson.databind.JsonNode) null)).isNull();
	}

	@Test
	void nullAndBlankAreNoTime() {
		assertThat(Timestamps.parse(null)).isNull();
		assertThat(Timestamps.parse("  ")).isNull();
		assertThat(Timestamps.read((String) null)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "yesterday", "2023-13-07T05:31:56Z", "2023-11-07T25:31:56Z", "2023-11-07T05:31:56+25:00",
			"2023-11-07T05:31:56[Not/AZone]", "1e400", "2023-11-07X05:31:56" })
	void refusesWhatIsNotATimestamp(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Timestamps.parse(text)).withMessageContaining(text);
	}

	@Test
	void refusesJsonThatIsNeitherStringNorNumber() {
		assertThatIllegalArgumentException().isThrownBy(() -> Timestamps.read(NODES.booleanNode(true)));
		assertThatIllegalArgumentException().isThrownBy(() -> Timestamps.read(NODES.objectNode()));
	}

}
