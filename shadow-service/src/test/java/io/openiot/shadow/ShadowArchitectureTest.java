package io.openiot.shadow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.openiot.shadow", importOptions = ImportOption.DoNotIncludeTests.class)
class ShadowArchitectureTest {

    /** Services meet on Kafka and HTTP only; the launcher runs them side by side but they never see each other. */
    @ArchTest
    static final ArchRule dependsOnNoOtherService = noClasses().that().resideInAPackage("io.openiot.shadow..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.openiot.gateway..", "io.openiot.registry..", "io.openiot.rules..", "io.openiot.policy..",
                    "io.openiot.sink..", "io.openiot.launcher..");

    /** Domain logic stays plain Java, testable in milliseconds. */
    @ArchTest
    static final ArchRule domainIsPlainJava = noClasses().that().resideInAnyPackage("io.openiot.shadow..domain..", "io.openiot.shadow.document..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "org.apache.kafka..", "java.sql..", "javax.sql..", "org.flywaydb..",
                    "org.postgresql..", "jakarta.persistence..")
            .allowEmptyShould(true);
}
