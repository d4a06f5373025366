package dev.kiln.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The gateway's package rules: one-way module and package dependencies. */
class ArchitectureTest {
  private static final JavaClasses GATEWAY = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.kiln.gateway");

  @Test
  void gateway_neverDependsOnTheWorker() {
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.kiln.worker..").check(GATEWAY);
  }

  @Test
  void packages_haveNoCycles() {
    slices().matching("dev.kiln.gateway.(*)..").should().beFreeOfCycles().check(GATEWAY);
  }

  @Test
  void projections_arePlainJavaOverKafkaClients() {
    noClasses().that().resideInAPackage("..gateway.projection..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.servlet..")
        .check(GATEWAY);
  }

  @Test
  void validation_knowsNothingOfKafkaOrSpringWiring() {
    noClasses().that().resideInAPackage("..gateway.build..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..",
            "dev.kiln.gateway.config..")
        .check(GATEWAY);
  }
}
