package dev.talkback.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The boundaries every module keeps (ArchUnit, on the module's main classes): its feature packages form no cycle, it
 * reaches no other service's code, and the shared modules reach no service at all. A module's test calls
 * {@link #verify(String)} with its root package.
 */
public final class Architecture {

    private static final String[] SERVICES = {
        "dev.talkback.comments..", "dev.talkback.moderation..", "dev.talkback.notification.."
    };

    private Architecture() {}

    /** Checks the rules on the main classes under {@code rootPackage} (e.g. {@code dev.talkback.moderation}). */
    public static void verify(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(rootPackage);
        slices().matching(rootPackage + ".(*)..")
                .should()
                .beFreeOfCycles()
                .because("a feature package depends on others without being part of a cycle")
                .check(classes);
        String own = rootPackage + "..";
        for (String service : SERVICES) {
            if (!service.equals(own)) {
                noClasses()
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage(service)
                        .because("services talk through Kafka only, never through each other's code")
                        .check(classes);
            }
        }
    }
}
