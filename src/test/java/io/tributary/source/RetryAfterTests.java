package io.tributary.source;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTests {

	@Test
	void readsSecondsMillisecondsAndHttpDates() {
		assertThat(retryAfter("Retry-After", "7")).isEqualTo(Duration.ofSeconds(7));
		assertThat(retryAfter("retry-after-ms", "1500")).isEqualTo(Duration.ofMillis(1500));
		String inAMinute = ZonedDateTime.now(ZoneOffset.UTC)
			.plusSeconds(60)
			.format(DateTimeFormatter.RFC_1123_DATE_TIME);
		assertThat(retryAfter("Retry-After", inAMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
		assertThat(retryAfter("Retry-After", "soon")).isNull();
		assertThat(retryAfter("X-Other", "1")).isNull();
	}

	@Test
	void millisecondsWinOverSeconds() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("Retry-After", "30");
		headers.add("retry-after-ms", "250");
		assertThat(UpstreamClients.RetryingErrorFilter.retryAfter(headers)).isEqualTo(Duration.ofMillis(250));
	}

	private static Duration retryAfter(String name, String value) {
		HttpHeaders headers = new HttpHeaders();
		headers.add(name, value);
		return UpstreamClients.RetryingErrorFilter.retryAfter(headers);
	}

}
