package io.tributary.source.greenflash;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code Link} header as RFC 8288 writes it, and as a hostile upstream might.
 */
class LinkHeaderTests {

	@Test
	void relIsATokenOrAQuotedListComparedWithoutCase() {
		assertThat(LinkHeader.next(List.of("<https://h/p?page=2>; rel=next"))).isEqualTo("https://h/p?page=2");
		assertThat(LinkHeader.next(List.of("<https://h/p?page=2>; rel=\"next\""))).isEqualTo("https://h/p?page=2");
		assertThat(LinkHeader.next(List.of("<https://h/p?page=9>; rel=\"next last\""))).isEqualTo("https://h/p?page=9");
		assertThat(LinkHeader.next(List.of("<https://h/p?page=9>;rel=\"last\tnext\""))).isEqualTo("https://h/p?page=9");
		assertThat(LinkHeader.next(List.of("<https://h/p?page=2> ; REL = NEXT"))).isEqualTo("https://h/p?page=2");
		assertThat(LinkHeader.next(List.of("<https://h/p?page=2>; Rel=\"Next\""))).isEqualTo("https://h/p?page=2");
	}

	@Test
	void theNextLinkIsFoundAmongOthersAndAcrossHeaderLines() {
		assertThat(LinkHeader.next(List.of("<https://h/p?page=1>; rel=prev, <https://h/p?page=3>; rel=next")))
			.isEqualTo("https://h/p?page=3");
		assertThat(LinkHeader.next(List.of("<https://h/p?page=1>; rel=first", "<https://h/p?page=3>; rel=next")))
			.isEqualTo("https://h/p?page=3");
		assertThat(LinkHeader.next(List.of(", ,<https://h/p?a=1,2>; rel=next"))).as("empty elements, a comma inside <>")
			.isEqualTo("https://h/p?a=1,2");
		assertThat(LinkHeader.next(List.of("</api/v1/interactions?page=2>; rel=next")))
			.isEqualTo("/api/v1/interactions?page=2");
	}

	@Test
	void quotedParametersMayHoldCommasSemicolonsAndEscapes() {
		assertThat(
				LinkHeader.next(List.of("<https://h/p>; title=\"a, b; rel=next\"; rel=prev, <https://h/q>; rel=next")))
			.isEqualTo("https://h/q");
		assertThat(LinkHeader.parse("<https://h/p>; rel=\"ne\\\"xt\"")).singleElement()
			.satisfies((link) -> assertThat(link.rel()).containsExactly("ne\"xt"));
	}

	@Test
	void onlyTheFirstRelOfALinkCountsAndOnlyWholeRelationTypes() {
		assertThat(LinkHeader.next(List.of("<https://h/p>; rel=prev; rel=next"))).isNull();
		assertThat(LinkHeader.next(List.of("<https://h/p>; rel=next; rel=prev"))).isEqualTo("https://h/p");
		assertThat(LinkHeader.next(List.of("<https://h/p>; rel=\"next-page\""))).isNull();
		assertThat(LinkHeader.next(List.of("<https://h/p>; xrel=next"))).isNull();
		assertThat(LinkHeader.next(List.of("<https://h/p>; rel=prev; title=\"next\""))).isNull();
		assertThat(LinkHeader.next(List.of("<https://h/p>"))).isNull();
	}

	@Test
	void whatIsNotALinkIsSkippedToTheNextComma() {
		assertThat(LinkHeader.next(List.of("garbage; rel=next, <https://h/p>; rel=next"))).isEqualTo("https://h/p");
		assertThat(LinkHeader.next(List.of("<https://h/a>; rel=prev \"x, y\" z, <https://h/b>; rel=next")))
			.isEqualTo("https://h/b");
		assertThat(LinkHeader.next(List.of("<https://h/p; rel=next"))).as("no closing >").isNull();
		assertThat(LinkHeader.next(List.of("<https://h/p>; rel=\"next"))).as("an unclosed quote runs to the end")
			.isEqualTo("https://h/p");
		assertThat(LinkHeader.parse(null)).isEmpty();
	}

	@Test
	void theConnectorTakesTheNextLinkFromEveryLinkHeaderLine() {
		HttpHeaders headers = new HttpHeaders();
		headers.add(HttpHeaders.LINK, "<https://h/api/v1/interactions?page=1>; rel=first");
		headers.add(HttpHeaders.LINK, "<https://h/api/v1/interactions?page=2>; rel=\"next last\"");
		assertThat(GreenflashConnector.next(headers)).isEqualTo(URI.create("https://h/api/v1/interactions?page=2"));
		assertThat(GreenflashConnector.next(new HttpHeaders())).isNull();
	}

	@Test
	void longHostileHeadersAreReadInOnePassOnASmallStack() throws InterruptedException {
		String params = ";a=b".repeat(25_000);
		assertReadQuickly("<https://h/p>" + params + "; rel=next", "https://h/p");
		assertReadQuickly("<https://h/p>; rel=next" + params, "https://h/p");
		assertReadQuickly("<https://h/p?page=1>; rel=prev, ".repeat(3_000) + "<https://h/p?page=3>; rel=next",
				"https://h/p?page=3");
		assertReadQuickly("<".repeat(100_000), null);
		assertReadQuickly("rel=".repeat(25_000), null);
		assertReadQuickly("<https://h/p>; title=\"" + "\\\"".repeat(50_000) + "\"; rel=next", "https://h/p");
		assertReadQuickly("<https://h/p>; rel=\"" + "next ".repeat(20_000) + "\"", "https://h/p");
		assertReadQuickly("x,".repeat(50_000) + "<https://h/p>; rel=next", "https://h/p");
	}

	/**
	 * Reads the header on a thread with a 64 KiB stack: a recursive or backtracking
	 * reading of 100 KB would overflow it or take far longer than the limit.
	 */
	private static void assertReadQuickly(String header, String next) throws InterruptedException {
		assertThat(header.length()).isGreaterThanOrEqualTo(90_000);
		AtomicReference<Object> result = new AtomicReference<>();
		Thread reader = new Thread(null, () -> {
			try {
				result.set(String.valueOf(LinkHeader.next(List.of(header))));
			}
			catch (Throwable ex) {
				result.set(ex);
			}
		}, "link-header", 64 * 1024);
		reader.start();
		reader.join(Duration.ofSeconds(5).toMillis());
		assertThat(reader.isAlive()).as("still reading after 5 s").isFalse();
		assertThat(result.get()).isEqualTo(String.valueOf(next));
	}

}
