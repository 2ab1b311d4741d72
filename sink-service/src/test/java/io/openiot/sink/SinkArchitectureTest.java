package io.openiot.sink;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.openiot.sink", importOptions = ImportOption.DoNotIncludeTests.class)
class SinkArchitectureTest {

    /** Services meet on Kafka and HTTP only; the launcher runs them side by side but they never see each other. */
    @ArchTest
    static final ArchRule dependsOnNoOtherService = noClasses().that().resideInAPackage("io.openiot.sink..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.openiot.gateway..", "io.openiot.registry..", "io.openiot.shadow..", "io.openiot.rules..",
                    "io.openiot.policy..", "io.openiot.launcher..");

    /** Writing and reading meet only in the database, so each can change its storage strategy alone. */
    @ArchTest
    static final ArchRule ingestAndItemAreIndependent = noClasses().that().resideInAPackage("..sink.ingest..")
            .should().dependOnClassesThat().resideInAPackage("..sink.item..")
            .andShould().dependOnClassesThat().resideInAnyPackage("..sink.web..", "io.openiot.web..");

    @ArchTest
    static final ArchRule itemDoesNotDependOnIngest = noClasses().that().resideInAPackage("..sink.item..")
            .should().dependOnClassesThat().resideInAPackage("..sink.ingest..");

    /** Replay meets ingest on Kafka only: it puts records back on the topic ingest reads. */
    @ArchTest
    static final ArchRule deadLettersAndIngestAreIndependent = noClasses().that().resideInAPackage("..sink.deadletter..")
            .should().dependOnClassesThat().resideInAnyPackage("..sink.ingest..", "..sink.item..");

    /** The DynamoDB API meets ingest and the REST reads in the database and the table catalogue only. */
    @ArchTest
    static final ArchRule dynamoDbIsIndependent = noClasses().that().resideInAPackage("..sink.dynamodb..")
            .should().dependOnClassesThat().resideInAnyPackage("..sink.ingest..", "..sink.item..",
                    "..sink.deadletter..");

    @ArchTest
    static final ArchRule ingestDoesNotDependOnDeadLetters = noClasses().that().resideInAPackage("..sink.ingest..")
            .should().dependOnClassesThat().resideInAPackage("..sink.deadletter..");

    // The web layer (problem details, OpenAPI, security) is the shared web-support module, which cannot see the
    // sink's features: Maven's dependency direction keeps it so.

    /** The logic that decides what is valid is plain Java, unit-tested in milliseconds. */
    @ArchTest
    static final ArchRule validationIsPlainJava = classes().that()
            .haveSimpleName("SinkRecordParser").or().haveSimpleName("PageToken").or().haveSimpleName("TimeParameter")
            .or().haveSimpleName("ItemResolver").or().haveSimpleName("KeySchema").or().haveSimpleName("AttributeValues")
            .should().onlyDependOnClassesThat().resideOutsideOfPackages(
                    "org.springframework..", "org.apache.kafka..", "java.sql..", "javax.sql..", "org.postgresql..");
}
