package io.segflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: cli → pipeline → compile → dsl, pipeline → transforms, and compile →
 * transforms for the planner's rules (aggregate, join, batching) only. The DSL runs
 * without Beam (fast, usable by editors and CI); transforms never see the DSL (each testable alone).
 */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.segflow");

  @Test
  void theDslKnowsNothingOfBeamOrTheLayersAboveIt() {
    noClasses().that().resideInAPackage("io.segflow.dsl..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.beam..", "io.segflow.compile..", "io.segflow.pipeline..", "io.segflow.transforms..",
            "io.segflow.cli..")
        .check(MAIN);
  }

  @Test
  void compileDoesNotReachUp() {
    noClasses().that().resideInAPackage("io.segflow.compile..")
        .should().dependOnClassesThat().resideInAnyPackage("io.segflow.pipeline..", "io.segflow.cli..")
        .check(MAIN);
  }

  /** The arrow compile → transforms, declared: the planner's rules run segflow's grouping, join and projection transforms. */
  @Test
  void compileUsesOnlyTheTransformsItsPlannerRulesRun() {
    noClasses().that().resideInAPackage("io.segflow.compile..")
        .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.segflow.transforms..")
            .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage("io.segflow.transforms.aggregate..",
                "io.segflow.transforms.join..", "io.segflow.transforms.batching..", "io.segflow.transforms.values.."))))
        .check(MAIN);
  }

  @Test
  void transformsNeverImportTheDsl() {
    noClasses().that().resideInAPackage("io.segflow.transforms..")
        .should().dependOnClassesThat().resideInAnyPackage("io.segflow.dsl..", "io.segflow.compile..",
            "io.segflow.pipeline..", "io.segflow.cli..")
        .allowEmptyShould(true)
        .check(MAIN);
  }

  /** A report is made from a run's folder alone: it needs neither Beam nor the definition's sources. */
  @Test
  void theReportReadsRunFoldersOnly() {
    noClasses().that().resideInAPackage("io.segflow.report..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.beam..", "io.segflow.dsl..",
            "io.segflow.compile..", "io.segflow.pipeline..", "io.segflow.transforms..", "io.segflow.cli..")
        .check(MAIN);
  }

  @Test
  void theCommandLineDrivesRunsThroughThePipelineLayer() {
    noClasses().that().resideInAPackage("io.segflow.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.segflow.transforms..")
        .check(MAIN);
  }

  @Test
  void theCommandLineKnowsNoWarehouseAndNoMethod() {
    noClasses().that().resideInAPackage("io.segflow.cli..")
        .should().dependOnClassesThat().haveNameMatching(
            "io\\.segflow\\.pipeline\\.(methods\\..*|.*(Warehouse|BigQuery|DuckDb|SegflowPipeline).*)")
        .check(MAIN);
  }

  /** The template launcher and the deployment drive runs as the command line does: never the transforms. */
  @Test
  void theTemplateAndTheDeploymentDriveRunsThroughThePipelineLayer() {
    noClasses().that().resideInAnyPackage("io.segflow.template..", "io.segflow.deploy..")
        .should().dependOnClassesThat().resideInAnyPackage("io.segflow.transforms..", "io.segflow.cli..")
        .check(MAIN);
    noClasses().that().resideInAPackage("io.segflow.deploy..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.beam..")
        .check(MAIN);
  }

  /** A method is its language part and its pipeline part: nothing else branches on which method it is. */
  @Test
  void onlyAMethodsOwnPackagesKnowItsOptions() {
    noClasses().that().resideOutsideOfPackages("io.segflow.dsl.methods..", "io.segflow.dsl.model..",
            "io.segflow.pipeline.methods..")
        .should().dependOnClassesThat().haveNameMatching("io\\.segflow\\.dsl\\.model\\.(KMeansSpec|KSpec|RulesSpec|RuleSpec)(\\$.*)?")
        .check(MAIN);
  }

  @Test
  void onlyTheCliUsesTheCommandLineLibrary() {
    noClasses().that().resideOutsideOfPackage("io.segflow.cli..")
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .check(MAIN);
  }
}
