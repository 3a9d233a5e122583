package io.tributary;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Package boundaries: upstream JSON stays inside its source's package, the unified model
 * knows nothing of sources or sync, and feature packages do not form cycles.
 */
class ModularityTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.tributary");

	@Test
	void eachSourceKindKeepsItsUpstreamTypesToItself() {
		for (String kind : new String[] { "greenflash", "zylon", "flockx" }) {
			noClasses().that()
				.resideOutsideOfPackage("io.tributary.source." + kind + "..")
				.should()
				.dependOnClassesThat()
				.resideInAPackage("io.tributary.source." + kind + "..")
				.check(CLASSES);
		}
	}

	@Test
	void theUnifiedModelDependsOnNoSourceOrSync() {
		noClasses().that()
			.resideInAPackage("io.tributary.interaction..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tributary.source..", "io.tributary.sync..", "io.tributary.sandbox..")
			.check(CLASSES);
	}

	@Test
	void nothingButTheSandboxKnowsTheSandbox() {
		noClasses().that()
			.resideOutsideOfPackage("io.tributary.sandbox..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tributary.sandbox..")
			.check(CLASSES);
	}

	@Test
	void featurePackagesHaveNoCycles() {
		slices().matching("io.tributary.(*)..").should().beFreeOfCycles().check(CLASSES);
	}

}
