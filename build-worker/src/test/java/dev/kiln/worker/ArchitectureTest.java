package dev.kiln.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The worker's package rules: the build engine is plain Java; Spring, Kafka and docker-java stay at the edges. */
class ArchitectureTest {
  private static final JavaClasses WORKER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.kiln.worker");

  @Test
  void engine_isPlainJava() {
    noClasses().that().resideInAPackage("dev.kiln.worker.engine..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.springframework..", "org.apache.kafka..", "com.github.dockerjava..", "dev.kiln.schema..",
            "org.apache.avro..", "io.apicurio..")
        .check(WORKER);
  }

  @Test
  void engine_knowsNothingOfItsAdapters() {
    noClasses().that().resideInAPackage("dev.kiln.worker.engine..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.kiln.worker.docker..", "dev.kiln.worker.messaging..",
            "dev.kiln.worker.config..")
        .check(WORKER);
  }

  @Test
  void dockerAdapter_andMessaging_doNotKnowEachOther() {
    noClasses().that().resideInAPackage("dev.kiln.worker.docker..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.kiln.worker.messaging..", "org.apache.kafka..")
        .check(WORKER);
    noClasses().that().resideInAPackage("dev.kiln.worker.messaging..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.kiln.worker.docker..", "com.github.dockerjava..")
        .check(WORKER);
  }

  @Test
  void worker_neverDependsOnTheGateway() {
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.kiln.gateway..").check(WORKER);
  }

  @Test
  void packages_haveNoCycles() {
    slices().matching("dev.kiln.worker.(**)").should().beFreeOfCycles().check(WORKER);
  }
}
