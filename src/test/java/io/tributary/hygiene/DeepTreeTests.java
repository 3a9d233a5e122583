package io.tributary.hygiene;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.tributary.common.JsonLimits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tree as deep as the gateway reads ({@link JsonLimits#MAX_DEPTH}) is walked by every
 * rule an item goes through, reading, writing and copying included, on a thread with the
 * stack the container image gives every thread ({@code -Xss512k}, half the JVM's
 * default): the parser's depth limit bounds every walk, and the rules that copy a tree
 * (secrets, personal data) keep a stack of their own instead of recursing. Measured on
 * such a stack: those rules copy 4 000 levels, Jackson's serializer and
 * {@code FieldPaths.first} 2 000 (both overflow at 4 000), Jackson's {@code deepCopy} and
 * {@code equals} 1 300 (they overflow at 1 500, and the gateway calls neither on upstream
 * trees); before, the personal-data rule overflowed at 800.
 */
class DeepTreeTests {

	private static final long IMAGE_STACK = 512 * 1024;

	private static final JsonMapper JSON = JsonMapper.builder(JsonLimits.factory()).build();

	private static final String KEY = "deep-tree-test-hash-key-0123456789abcdef";

	@Test
	void everyWalkOverATreeAsDeepAsTheGatewayReadsFitsInTheImagesStack() {
		String deepest = "{\"email\":\"ana@example.com\",\"url\":\"https://h/?token=x\",\"n\":"
			.repeat(JsonLimits.MAX_DEPTH - 1) + "{}" + "}".repeat(JsonLimits.MAX_DEPTH - 1);

		String result = onTheImagesStack(() -> {
			JsonNode tree = JSON.readTree(deepest);
			JsonNode redacted = Secrets.redact(tree);
			JsonNode hashed = PersonalData.of(PersonalData.Mode.HASH, KEY, List.of("**.email")).apply(redacted);
			JsonNode removed = PersonalData.of(PersonalData.Mode.REMOVE, null, List.of("**.email")).apply(tree);
			JsonNode found = FieldPaths.compile(List.of("**.email")).first(tree);
			boolean same = tree.equals(JSON.readTree(JSON.writeValueAsString(tree)));
			return JSON.writeValueAsString(hashed).length() + " " + JSON.writeValueAsString(removed).length() + " "
					+ found.asString() + " " + same;
		});

		assertThat(result).endsWith(" ana@example.com true");
	}

	@Test
	void aTreeDeeperThanTheGatewayReadsIsRefusedByTheParser() {
		String deeper = "[".repeat(JsonLimits.MAX_DEPTH + 1) + "]".repeat(JsonLimits.MAX_DEPTH + 1);

		assertThat(onTheImagesStack(() -> {
			try {
				JSON.readTree(deeper);
				return "read";
			}
			catch (tools.jackson.core.exc.StreamConstraintsException ex) {
				return "refused";
			}
		})).isEqualTo("refused");
	}

	private static String onTheImagesStack(Supplier<String> work) {
		AtomicReference<Object> outcome = new AtomicReference<>();
		Thread thread = new Thread(null, () -> {
			try {
				outcome.set(work.get());
			}
			catch (Throwable ex) {
				outcome.set(ex);
			}
		}, "deep-tree", IMAGE_STACK);
		thread.start();
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		assertThat(outcome.get()).as("no failure (a StackOverflowError would show here)").isInstanceOf(String.class);
		return (String) outcome.get();
	}

}
