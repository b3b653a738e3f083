package dev.talkback.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.talkback.testsupport.Architecture;
import org.junit.jupiter.api.Test;

/** The engine's packages keep their boundaries ({@link Architecture}), and it stays plain Java. */
class ArchitectureTests {

    @Test
    void packagesKeepTheirBoundaries() {
        Architecture.verify("dev.talkback.engine");
    }

    @Test
    void noSpringKafkaOrMongoDbInTheEngine() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "org.apache.kafka..", "com.mongodb..", "org.bson..")
                .because("the engine decides on plain values; the services bring the infrastructure")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.talkback.engine"));
    }
}
