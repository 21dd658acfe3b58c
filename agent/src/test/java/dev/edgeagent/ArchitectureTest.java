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
            "dev.edgeagent.protocol..", "dev.edgeagent.events..", "dev.edgeagent.status..")
        .should().dependOnClassesThat().areAssignableTo(RawFrame.class)
        .because("a raw frame must never be encoded, written or published");
    rule.check(classes);
  }

  @Test
  void onlyTheRedactionStageCreatesAnonymizedFrames() {
    noClasses().that().resideOutsideOfPackage("dev.edgeagent.redact..")
        .should().callConstructorWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                com.tngtech.archunit.base.DescribedPredicate.describe("AnonymizedFrame",
                    c -> c.isEquivalentTo(AnonymizedFrame.class)))))
        .check(classes);
  }

  @Test
  void onlyTheFrameProcessorRedactsSoNoOneSkipsDetection() {
    // Redacting with a made-up (e.g. empty) detection list would turn a raw frame into a
    // publishable one without the detectors' fail-closed checks.
    noClasses().that().doNotHaveFullyQualifiedName("dev.edgeagent.pipeline.FrameProcessor")
        .and().resideOutsideOfPackage("dev.edgeagent.redact..")
        .should().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                com.tngtech.archunit.base.DescribedPredicate.describe("Redactor",
                    c -> c.isEquivalentTo(dev.edgeagent.redact.Redactor.class))))
            .and(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching("redact|blackOut"))))
        .check(classes);
  }

  @Test
  void onlyEncodeWritesImagesOrVideo() {
    // The one exception, ADR 0010: the review folder's thumbnails (raw crops, opt-in, batch only).
    noClasses().that().resideOutsideOfPackage("dev.edgeagent.encode..")
        .and().doNotHaveFullyQualifiedName("dev.edgeagent.review.Thumbnail")
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
  void onlyTheAnonymizeCommandUsesTheReviewWhichHoldsRawCrops() {
    noClasses().that().resideOutsideOfPackage("dev.edgeagent.review..")
        .and().doNotHaveFullyQualifiedName("dev.edgeagent.cli.AnonymizeCommand")
        .should().dependOnClassesThat().resideInAPackage("dev.edgeagent.review..")
        .because("review thumbnails are unredacted crops: only batch anonymize may write them (ADR 0010)")
        .check(classes);
    noClasses().that().resideInAPackage("dev.edgeagent.review..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.edgeagent.publish..", "dev.edgeagent.spool..",
            "dev.edgeagent.health..", "dev.edgeagent.encode..", "dev.edgeagent.enhance..", "dev.edgeagent.protocol..")
        .because("nothing the review sees may reach the spool, the broker, health pages or encoded output")
        .check(classes);
  }

  @Test
  void stagesDoNotReachBackIntoTheCli() {
    noClasses().that().resideOutsideOfPackage("dev.edgeagent.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.edgeagent.cli..")
        .check(classes);
  }

  @Test
  void onlyFrameEventsPublishesOnTheEventBus() {
    // What goes on the bus can reach a web page: one class decides what that is (metadata and
    // previews encoded from anonymized frames), and no one else sends anything.
    noClasses().that().resideOutsideOfPackage("dev.edgeagent.events..")
        .should().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                com.tngtech.archunit.base.DescribedPredicate.describe("EventBus",
                    c -> c.isAssignableTo(io.vertx.core.eventbus.EventBus.class))))
            .and(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching(
                    "publish|send|request|sender|publisher|registerCodec|registerDefaultCodec|codecSelector"))))
        .because("only dev.edgeagent.events.FrameEvents puts messages on the event bus")
        .check(classes);
  }

  @Test
  void noMessageCodecCanCarryAFrameObject() {
    // Without a custom codec the bus carries only JSON, strings and buffers: a Mat or a
    // RawFrame cannot be sent even by mistake.
    noClasses().should().implement(io.vertx.core.eventbus.MessageCodec.class)
        .because("the event bus carries JSON metadata and encoded previews only")
        .check(classes);
    noClasses().that().resideInAPackage("dev.edgeagent.events..")
        .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
            "capture classes other than FrameMeta", c -> c.getPackageName().startsWith("dev.edgeagent.capture")
                && !c.getSimpleName().equals("FrameMeta")))
        .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.edgeagent.encode.JpegEncoder")
        .because("events sees anonymized frames only, and previews are small PreviewEncoder JPEGs")
        .check(classes);
  }

  @Test
  void theStatusPageSeesCountersAndEventsNeverFramesOrPixels() {
    // what a status page shows can travel to another machine: it is built from the event bus
    // (metadata, previews already encoded from anonymized frames) and counters only
    noClasses().that().resideInAPackage("dev.edgeagent.status..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.edgeagent.capture..", "dev.edgeagent.redact..",
            "dev.edgeagent.detect..", "dev.edgeagent.encode..", "dev.edgeagent.enhance..", "org.opencv..")
        .because("the status page shows what the event bus and the counters say, never a frame")
        .check(classes);
  }

  @Test
  void demoAndBenchmarkCodeStaysOutOfTheProductsPackages() {
    // The embedded broker is started only when the config says kafka.bootstrap: embedded.
    noClasses().that().resideOutsideOfPackages("dev.edgeagent.cli..", "dev.edgeagent.bench..", "dev.edgeagent.demo..")
        .and().doNotHaveFullyQualifiedName("dev.edgeagent.publish.KafkaPublishing")
        .should().dependOnClassesThat().resideInAnyPackage("dev.edgeagent.demo..", "dev.edgeagent.bench..")
        .check(classes);
  }
}
