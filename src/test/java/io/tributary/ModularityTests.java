package io.tributary;

import java.net.URLEncoder;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget.MethodCallTarget;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.tributary.source.SourceConnector;
import io.tributary.source.UpstreamClients;
import io.tributary.source.UpstreamException;
import org.junit.jupiter.api.Test;

import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.service.annotation.HttpExchange;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.conditions.ArchPredicates.are;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Package boundaries: each source kind is one package nothing else knows (whichever kinds
 * exist, in the main or the test sources), the domain speaks no HTTP, the unified model
 * knows nothing of sources or sync, ingest hygiene knows no feature and is the only place
 * that replaces known secrets, and feature packages do not form cycles.
 */
class ModularityTests {

	private static final String SOURCE = "io.tributary.source.";

	/** Main and test classes: a kind written in the test sources is guarded too. */
	private static final JavaClasses ALL = new ClassFileImporter().importPackages("io.tributary");

	private static final JavaClasses MAIN = ALL.that(DescribedPredicate.describe("main classes",
			(type) -> type.getSource()
				.map((source) -> !source.getUri().toString().contains("test-classes"))
				.orElse(true)));

	/** Every sub-package of {@code source}, derived from the classes, not listed. */
	private static Set<String> kindPackages() {
		Set<String> kinds = new TreeSet<>();
		for (JavaClass type : ALL) {
			String name = type.getPackageName();
			if (name.startsWith(SOURCE)) {
				kinds.add(SOURCE + name.substring(SOURCE.length()).split("\\.")[0]);
			}
		}
		return kinds;
	}

	@Test
	void theKindsAreFoundNotListed() {
		assertThat(kindPackages()).contains(SOURCE + "greenflash", SOURCE + "zylon", SOURCE + "flockx",
				SOURCE + "parrot");
	}

	@Test
	void eachSourceKindKeepsItsTypesToItself() {
		for (String kind : kindPackages()) {
			noClasses().that()
				.resideOutsideOfPackage(kind + "..")
				.should()
				.dependOnClassesThat()
				.resideInAPackage(kind + "..")
				.as("nothing outside " + kind + " knows its types")
				.check(ALL);
		}
	}

	@Test
	void eachSourceKindRegistersItselfWithAConnector() {
		for (String kind : kindPackages()) {
			assertThat(ALL.stream()
				.filter((type) -> type.getPackageName().startsWith(kind))
				.anyMatch((type) -> type.isAssignableTo(SourceConnector.class) && !type.isInterface()))
				.as(kind + " has a SourceConnector")
				.isTrue();
		}
	}

	@Test
	void theDomainSpeaksNoHttpOutsideItsControllersAndTheUpstreamClients() {
		noClasses().that()
			.resideInAnyPackage("io.tributary.interaction..", "io.tributary.source..", "io.tributary.sync..")
			.and()
			.areNotAnnotatedWith(RestController.class)
			.and(are(DescribedPredicate.not(upstreamHttpEdge())))
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tributary.web..", "org.springframework.http..", "org.springframework.web..",
					"jakarta.servlet..")
			.check(MAIN);
	}

	@Test
	void upstreamHttpStaysInTheSourcePackages() {
		noClasses().that()
			.resideInAnyPackage("io.tributary.interaction..", "io.tributary.sync..", "io.tributary.common..")
			.and()
			.areNotAnnotatedWith(RestController.class)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.http..", "org.springframework.web..", "io.tributary.web..")
			.check(MAIN);
	}

	@Test
	void theSharedPackageDependsOnNoFeature() {
		noClasses().that()
			.resideInAPackage("io.tributary.common..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tributary.interaction..", "io.tributary.source..", "io.tributary.sync..",
					"io.tributary.web..", "io.tributary.sandbox..", "io.tributary.config..")
			.check(MAIN);
	}

	@Test
	void ingestHygieneDependsOnNoFeature() {
		classes().that()
			.resideInAPackage("io.tributary.hygiene..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("io.tributary.hygiene..", "java..", "javax.crypto..", "tools.jackson..",
					"org.jspecify..")
			.as("hygiene depends on the JDK and Jackson only: no feature package, whichever exist")
			.check(MAIN);
	}

	@Test
	void onlyIngestHygieneReplacesKnownSecrets() {
		noClasses().that()
			.resideOutsideOfPackage("io.tributary.hygiene..")
			.and()
			.areTopLevelClasses()
			.should(encodeValuesAndReplaceThemInText())
			.because("the forms of a secret (raw, JSON-escaped, URL-encoded) and the length rule are "
					+ "hygiene.KnownSecrets's alone")
			.check(MAIN);
	}

	@Test
	void controllersAreTheOnlyRestEndpointsOfTheDomain() {
		classes().that()
			.areAnnotatedWith(RestController.class)
			.and()
			.resideInAnyPackage("io.tributary.interaction..", "io.tributary.source..", "io.tributary.sync..")
			.should()
			.haveSimpleNameEndingWith("Controller")
			.check(MAIN);
	}

	@Test
	void theUnifiedModelDependsOnNoSourceOrSync() {
		noClasses().that()
			.resideInAPackage("io.tributary.interaction..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tributary.source..", "io.tributary.sync..", "io.tributary.sandbox..")
			.check(MAIN);
	}

	@Test
	void nothingButTheSandboxKnowsTheSandbox() {
		noClasses().that()
			.resideOutsideOfPackage("io.tributary.sandbox..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tributary.sandbox..")
			.check(MAIN);
	}

	@Test
	void onlyTheSecurityPackageKnowsSpringSecurity() {
		noClasses().that()
			.resideOutsideOfPackage("io.tributary.security..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.security..", "io.tributary.security..")
			.as("features see the caller only through common.ConnectionScope")
			.check(MAIN);
	}

	@Test
	void featurePackagesHaveNoCycles() {
		slices().matching("io.tributary.(*)..").should().beFreeOfCycles().check(MAIN);
	}

	/**
	 * Known-secret replacement as it is written by hand: a type (with its nested types
	 * and lambdas) that both builds the JSON-escaped or URL-encoded form of a value and
	 * calls {@code String.replace(CharSequence, CharSequence)}.
	 */
	private static ArchCondition<JavaClass> encodeValuesAndReplaceThemInText() {
		return new ArchCondition<>("build JSON-escaped or URL-encoded forms of values and replace them in text") {
			@Override
			public void check(JavaClass type, ConditionEvents events) {
				List<JavaMethodCall> calls = MAIN.stream()
					.filter((other) -> other.equals(type) || other.getName().startsWith(type.getName() + "$"))
					.flatMap((other) -> other.getMethodCallsFromSelf().stream())
					.toList();
				boolean encodes = calls.stream().anyMatch((call) -> buildsAForm(call.getTarget()));
				boolean replaces = calls.stream()
					.anyMatch((call) -> call.getTargetOwner().isEquivalentTo(String.class)
							&& call.getName().equals("replace")
							&& call.getTarget().getRawParameterTypes().get(0).isEquivalentTo(CharSequence.class));
				events.add(new SimpleConditionEvent(type, encodes && replaces,
						type.getName() + " builds escaped or encoded forms of values and replaces them in text"));
			}
		};
	}

	/**
	 * URL-encoding, or JSON-quoting by Jackson (matched by name: the importer does not
	 * resolve Jackson's type hierarchy).
	 */
	private static boolean buildsAForm(MethodCallTarget target) {
		String owner = target.getOwner().getName();
		return owner.equals(URLEncoder.class.getName()) || owner.equals("tools.jackson.core.io.JsonStringEncoder")
				|| (owner.startsWith("tools.jackson.") && target.getName().startsWith("writeValueAs"));
	}

	/**
	 * Where the gateway is an HTTP client of an upstream: the connectors, their
	 * {@code @HttpExchange} interfaces, and the shared client and its error.
	 */
	private static DescribedPredicate<JavaClass> upstreamHttpEdge() {
		DescribedPredicate<JavaClass> edge = upstreamHttpEdgeItself();
		return DescribedPredicate.describe(edge.getDescription(),
				(type) -> edge.test(type) || type.getEnclosingClass().map(edge::test).orElse(false));
	}

	private static DescribedPredicate<JavaClass> upstreamHttpEdgeItself() {
		return assignableTo(SourceConnector.class).or(belongToAnyOf(UpstreamClients.class, UpstreamException.class))
			.or(new DescribedPredicate<>("an @HttpExchange interface") {
				@Override
				public boolean test(JavaClass type) {
					return type.isInterface() && type.getMethods()
						.stream()
						.anyMatch((method) -> method.getAnnotations()
							.stream()
							.anyMatch((annotation) -> annotation.getRawType()
								.getPackageName()
								.equals(HttpExchange.class.getPackageName())));
				}
			})
			.as("the upstream HTTP edge (connectors, @HttpExchange interfaces, UpstreamClients)");
	}

}
