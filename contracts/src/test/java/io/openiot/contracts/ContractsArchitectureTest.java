package io.openiot.contracts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** What the services share stays plain Java: every service can use it, and no framework leaks through it. */
@AnalyzeClasses(packages = "io.openiot.contracts", importOptions = ImportOption.DoNotIncludeTests.class)
class ContractsArchitectureTest {

    @ArchTest
    static final ArchRule contractsArePlainJava = noClasses().that().resideInAPackage("io.openiot.contracts..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "org.apache.kafka..", "io.netty..", "io.moquette..", "java.sql..",
                    "javax.sql..", "jakarta.persistence..")
            .allowEmptyShould(false);
}
