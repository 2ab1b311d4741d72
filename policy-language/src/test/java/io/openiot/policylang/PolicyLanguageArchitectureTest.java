package io.openiot.policylang;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The policy language is used by policy-service and the gateway alike: plain Java, no framework, no I/O. */
@AnalyzeClasses(packages = "io.openiot.policylang", importOptions = ImportOption.DoNotIncludeTests.class)
class PolicyLanguageArchitectureTest {

    @ArchTest
    static final ArchRule policyLanguageIsPlainJava = noClasses().that().resideInAPackage("io.openiot.policylang..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "org.apache.kafka..", "io.netty..", "io.moquette..", "java.sql..",
                    "javax.sql..", "jakarta.persistence..", "org.slf4j..")
            .allowEmptyShould(false);
}
