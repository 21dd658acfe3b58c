package dev.edgeagent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.redact.AnonymizedFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fail-closed gate in the type system: raw frames have no path to encoding, disk, Kafka or
 * the protocol, and only the redaction stage can make an AnonymizedFrame.
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.edgeagent");
  }

  @Test
  void rawFramesNeverReachEncodeSpoolPublishOrHealth() {
    ArchRule rule = noClasses().that().resideInAnyPackage("dev.edgeagent.encode..", "dev.edgeagent.spool..",
            "dev.edgeagent.publish..", "dev.edgeagent.health..", "dev.edgeagent.enhance..",
            "dev.edgeagent.protocol..")
        .should().dependOnClassesThat().areAssignableTo(RawFrame.class)
        .because("a raw frame must never be encoded, written or published");
    rule.check(classes);
  }

  @Test
  void onlyTheRedactionStageCreatesAnonymizedFrames() {
    noClasses().that().resideOutsideOfPackage("dev.edgeagent.redact..")
        .should().callConstructor(AnonymizedFrame.class, dev.edgeagent.capture.FrameMeta.class,
            org.opencv.core.Mat.class, java.util.List.class, java.util.List.class, double.class)
        .check(classes);
  }

  @Test
  void onlyTheFrameProcessorRedactsSoNoOneSkipsDetection() {
    // Redacting with a made-up (e.g. empty) detection list would turn a raw frame into a
    // publishable one without the detectors' fail-closed checks.
    noClasses().that().doNotHaveFullyQualifiedName("dev.edgeagent.pipeline.FrameProcessor")
        .should().callMethod(dev.edgeagent.redact.Redactor.class, "redact", RawFrame.class, java.util.List.class,
            java.util.List.class, double.class)
        .check(classes);
  }

  @Test
  void onlyEncodeWritesImagesOrVideo() {
    noClasses().that().resideOutsideOfPackage("dev.edgeagent.encode..")
        .should().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                com.tngtech.archunit.base.DescribedPredicate.describe("Imgcodecs",
                    c -> c.getName().equals("org.opencv.imgcodecs.Imgcodecs"))))
            .and(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching("imwrite|imencode"))))
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.bytedeco.javacv.FFmpegFrameRecorder")
        .check(classes);
  }

  @Test
  void stagesDoNotReachBackIntoTheCli() {
    noClasses().that().resideOutsideOfPackage("dev.edgeagent.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.edgeagent.cli..")
        .check(classes);
  }
}
