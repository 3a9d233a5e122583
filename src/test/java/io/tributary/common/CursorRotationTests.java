package io.tributary.common;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Rotating the cursor secret breaks no client's walk: with the old secret as
 * {@code tributary.api.cursor-secret-previous}, cursors it signed are still accepted,
 * while every new cursor is signed with the current secret only.
 */
class CursorRotationTests {

	private static final String OLD = "the-old-cursor-secret-0123456789abcdef";

	private static final String NEW = "the-new-cursor-secret-0123456789abcdef";

	@Test
	void aCursorSignedWithThePreviousSecretIsAcceptedDuringTheRotation() {
		String issuedBefore = new SignedCursors(OLD).encode("runs.v1", "42");
		assertThat(new SignedCursors(NEW, OLD).decode("runs.v1", 1, issuedBefore)).containsExactly("42");
	}

	@Test
	void newCursorsAreSignedWithTheCurrentSecret() {
		String issuedNow = new SignedCursors(NEW, OLD).encode("runs.v1", "42");
		assertThat(new SignedCursors(NEW).decode("runs.v1", 1, issuedNow)).containsExactly("42");
		assertThatExceptionOfType(InvalidCursor.class)
			.as("a replica still on the old secret alone does not accept them")
			.isThrownBy(() -> new SignedCursors(OLD).decode("runs.v1", 1, issuedNow));
	}

	@Test
	void onceThePreviousSecretIsDroppedItsCursorsAreRefused() {
		String issuedBefore = new SignedCursors(OLD).encode("runs.v1", "42");
		assertThatExceptionOfType(InvalidCursor.class)
			.isThrownBy(() -> new SignedCursors(NEW).decode("runs.v1", 1, issuedBefore));
		assertThatExceptionOfType(InvalidCursor.class).as("nor is one signed with any other secret")
			.isThrownBy(() -> new SignedCursors(NEW, OLD).decode("runs.v1", 1,
					new SignedCursors("a-third-secret-0123456789abcdefghij").encode("runs.v1", "42")));
	}

	@Test
	void aCursorOfAnotherApiIsRefusedWhicheverSecretSignedIt() {
		String otherApi = new SignedCursors(OLD).encode("rejects.v1", "42");
		assertThatExceptionOfType(InvalidCursor.class)
			.isThrownBy(() -> new SignedCursors(NEW, OLD).decode("runs.v1", 1, otherApi));
	}

	@Test
	void thePreviousSecretIsBoundFromConfigurationAndCheckedLikeTheCurrent() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(SignedCursors.class)
			.withPropertyValues("tributary.api.cursor-secret=" + NEW);
		String issuedBefore = new SignedCursors(OLD).encode("runs.v1", "7");
		runner.withPropertyValues("tributary.api.cursor-secret-previous=" + OLD)
			.run((context) -> assertThat(context.getBean(SignedCursors.class).decode("runs.v1", 1, issuedBefore))
				.isEqualTo(List.of("7")));
		runner.withPropertyValues("tributary.api.cursor-secret-previous=")
			.run((context) -> assertThat(context).hasNotFailed());
		runner.withPropertyValues("tributary.api.cursor-secret-previous=too-short-0123")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("tributary.api.cursor-secret-previous is too short (14 characters)")
				.hasMessageNotContaining("too-short-0123"));
	}

}
