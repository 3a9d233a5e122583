package io.tributary.common;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cursor secret has no usable default: without one, or with one shorter than 32
 * characters, the application does not start, and says why without showing the value.
 * Only the demo profile brings its own.
 */
class CursorSecretTests {

	private static final String PROPERTY = "tributary.api.cursor-secret";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(SignedCursors.class);

	@Test
	void aMissingSecretStopsTheStartNamingThePropertyAndTheVariable() {
		this.runner.run((context) -> assertThat(context).getFailure()
			.rootCause()
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining(PROPERTY + " is not set")
			.hasMessageContaining("TRIBUTARY_CURSOR_SECRET")
			.hasMessageContaining("at least 32 characters"));
	}

	@Test
	void aBlankSecretIsAMissingOne() {
		this.runner.withPropertyValues(PROPERTY + "=   ")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(PROPERTY + " is not set"));
	}

	@Test
	void aShortSecretStopsTheStartWithoutShowingIt() {
		String secret = "short-secret-31-characters-long";
		assertThat(secret).hasSize(31);
		this.runner.withPropertyValues(PROPERTY + "=" + secret)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(PROPERTY + " is too short (31 characters)")
				.hasMessageNotContaining(secret));
	}

	@Test
	void aSecretOf32CharactersIsEnough() {
		this.runner.withPropertyValues(PROPERTY + "=" + "x".repeat(32))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SignedCursors.class));
	}

	@Test
	void theApplicationsOwnConfigurationHasNoDefault() throws IOException {
		assumeTrue(System.getenv("TRIBUTARY_CURSOR_SECRET") == null, "TRIBUTARY_CURSOR_SECRET is set here");
		List<PropertySource<?>> main = load("application.yml");
		this.runner.withInitializer((context) -> main.forEach(context.getEnvironment().getPropertySources()::addLast))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(PROPERTY + " is not set"));
	}

	@Test
	void theDemoProfileBringsItsOwn() throws IOException {
		List<PropertySource<?>> demo = load("application-demo.yml");
		List<PropertySource<?>> main = load("application.yml");
		this.runner.withInitializer((context) -> {
			demo.forEach(context.getEnvironment().getPropertySources()::addLast);
			main.forEach(context.getEnvironment().getPropertySources()::addLast);
		}).run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SignedCursors.class));
	}

	/** The main sources' file, not the tests' {@code config/application.yml}. */
	private static List<PropertySource<?>> load(String name) throws IOException {
		return new YamlPropertySourceLoader().load(name, new ClassPathResource(name));
	}

}
