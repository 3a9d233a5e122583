package io.tributary.hygiene;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Odd but valid text costs what its size costs: every pattern run over upstream text is
 * linear and keeps the stack shallow. Each case runs on a thread with a small stack and a
 * limit far above what a linear scan needs (a quadratic one takes minutes on these sizes;
 * the limit is a guard, not a measurement).
 */
class AdversarialTextTests {

	private static final Duration LIMIT = Duration.ofSeconds(20);

	private static final long SMALL_STACK = 256 * 1024;

	@Test
	void aLongRunOfWordsBeforeAndAfterAUrlIsScannedOnce() {
		String text = "a.".repeat(150_000) + " https://user:secret@host/path?token=x " + "a.".repeat(150_000)
				+ "ftp://";

		String urls = bounded(() -> Secrets.redactUrls(text));
		String redacted = bounded(() -> SecretText.none().redact(text));

		assertThat(around(urls, "host/path")).contains(" https://host/path?")
			.doesNotContain("secret")
			.doesNotContain("token=x");
		assertThat(around(redacted, "host/path")).contains("https://[redacted]@host").doesNotContain("user:secret");
	}

	@Test
	void manySchemesInOneRunAreScannedOnce() {
		String text = "a://".repeat(100_000) + "@";
		assertThat(bounded(() -> SecretText.none().redact(text))).isNotNull();
		assertThat(bounded(() -> Secrets.redactUrls(text))).isNotNull();
	}

	@Test
	void aQuotedValueWithThousandsOfEscapesNeitherOverflowsNorLeaks() {
		String secret = "s3cr3t-" + "\\\"".repeat(5_000) + "-end";
		String text = "{\"api_key\": \"" + secret + "\", \"next\": 1}";

		String redacted = bounded(() -> SecretText.none().redact(text));

		assertThat(redacted).isEqualTo("{\"api_key\": \"[redacted]\", \"next\": 1}");
	}

	@Test
	void aFiveMegabyteStringInATreeIsRedactedInOnePass() {
		JsonNode item = JsonNodeFactory.instance.objectNode()
			.put("id", "x")
			.put("answer", "word. ".repeat(900_000) + "see https://example.com/?token=abc");

		JsonNode redacted = bounded(() -> Secrets.redact(item));

		assertThat(redacted.get("answer").asString()).endsWith("https://example.com/?[redacted]");
	}

	@Test
	void aCredentialLikeRunAndNamedValuesAreLinearToo() {
		String text = "password=" + "x".repeat(1_000_000) + " " + "k=v;".repeat(200_000);
		assertThat(bounded(() -> SecretText.of(List.of("known-secret-value")).summarize(text, 100)))
			.hasSizeLessThan(110);
	}

	/** The text around {@code part}, not the megabytes around it. */
	private static String around(String text, String part) {
		int at = text.indexOf(part);
		assertThat(at).as("holds " + part).isNotNegative();
		return text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 60));
	}

	/** Runs on a thread with a small stack, within {@link #LIMIT}. */
	private static <T> T bounded(Supplier<T> work) {
		AtomicReference<Object> outcome = new AtomicReference<>();
		CompletableFuture<Void> done = new CompletableFuture<>();
		Thread thread = new Thread(null, () -> {
			try {
				outcome.set(work.get());
			}
			catch (Throwable ex) {
				outcome.set(ex);
			}
			done.complete(null);
		}, "adversarial", SMALL_STACK);
		thread.setDaemon(true);
		thread.start();
		try {
			done.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			thread.interrupt();
			throw new AssertionError("took longer than " + LIMIT + ": not linear", ex);
		}
		if (outcome.get() instanceof Throwable failure) {
			throw new AssertionError("failed on a " + SMALL_STACK / 1024 + " KiB stack", failure);
		}
		@SuppressWarnings("unchecked")
		T result = (T) outcome.get();
		return result;
	}

}
