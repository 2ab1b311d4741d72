package io.openiot.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.openiot.rules", importOptions = ImportOption.DoNotIncludeTests.class)
class RulesArchitectureTest {

    /** Services meet on Kafka and HTTP only; the launcher runs them side by side but they never see each other. */
    @ArchTest
    static final ArchRule dependsOnNoOtherService = noClasses().that().resideInAPackage("io.openiot.rules..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.openiot.gateway..", "io.openiot.shadow..", "io.openiot.registry..", "io.openiot.policy..",
                    "io.openiot.sink..", "io.openiot.launcher..");

    /** The SQL parser and evaluator stay plain Java, testable in milliseconds. */
    @ArchTest
    static final ArchRule sqlDomainIsPlainJava = noClasses().that().resideInAPackage("io.openiot.rules.sql..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "org.apache.kafka..", "java.sql..", "javax.sql..", "org.flywaydb..",
                    "org.postgresql..", "jakarta.persistence..", "io.micrometer..", "io.openiot.rules.rule..",
                    "io.openiot.rules.engine..", "io.openiot.rules.action..", "io.openiot.web..");

    /** The domain does not know the other layers; the engine does not know the REST API. */
    @ArchTest
    static final ArchRule engineDoesNotDependOnTheApi = noClasses().that().resideInAnyPackage(
                    "io.openiot.rules.engine..", "io.openiot.rules.action..")
            .should().dependOnClassesThat().resideInAnyPackage("io.openiot.rules.rule..", "io.openiot.web..");
}
