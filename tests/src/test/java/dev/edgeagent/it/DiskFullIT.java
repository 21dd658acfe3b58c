package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.publish.KafkaPublishing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool on a real 1 MiB tmpfs, so the kernel itself says "no space left on device" (about
 * 38 records of the test video fit). A full disk goes through the same full policy as the byte
 * cap, health and metrics show it, acknowledged records leave the disk, and recovery once space
 * is back needs nobody. Assertions are on what the broker and the spool hold.
 */
class DiskFullIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  static final long DISK_BYTES = 1L << 20;

  @TempDir
  Path tmp;
  SmallDisk disk;

  @BeforeEach
  void mountDisk() throws Exception {
    disk = SmallDisk.mount(tmp.resolve("disk"), DISK_BYTES);
  }

  @AfterEach
  void unmountDisk() throws Exception {
    if (disk != null) {
      disk.close();
    }
  }

  /** The cap is far above the disk, so only the disk can be what fills. */
  AgentConfig config(String bootstrap, String topic, String policy) throws Exception {
    return SpooledCameras.config(bootstrap, topic, disk.mountPoint.resolve("spool"), Map.of(
        "spool.segment_bytes", 65_536, "spool.max_bytes", 1L << 30, "spool.full_policy", policy,
        "spool.pause_ms", 120_000));
  }

  long segmentBytesOnDisk() throws IOException {
    try (Stream<Path> s = Files.list(disk.mountPoint.resolve("spool"))) {
      return s.filter(p -> p.toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Test
  void dropOldestMakesRoomOnAFullDiskAndAFullDrainLeavesTheDiskFreeForTheNextRun() throws Exception {
    int frames = 80; // about twice what the disk holds
    long kept;
    try (PipelineHarness h = new PipelineHarness(0, false, List.of());
         KafkaPublishing k = KafkaPublishing.open(config(SpoolFaultIT.NOWHERE, "disk-drop", "drop_oldest"), h.metrics)) {
      assertThat(SpooledCameras.run(h, k, "front", frames).get(180, TimeUnit.SECONDS).captured()).isEqualTo(frames);
      assertThat(k.spool().diskFullEvents()).as("the kernel refused writes").isPositive();
      assertThat(k.spool().droppedOldest()).as("drop_oldest acted on the full disk").isPositive();
      assertThat(k.spool().refused()).as("drop_oldest always made room").isZero();
      assertThat(k.spool().diskFull()).as("still dropping to fit: health says full").isTrue();
      assertThat(k.spool().full()).isTrue();
      kept = k.spool().pending();
      assertThat(kept + k.spool().droppedOldest()).as("every frame spooled or counted").isEqualTo(frames);
      String scrape = h.metrics.scrape();
      assertThat(scrape).contains("edgeagent_spool_disk_full{dir=\"" + disk.mountPoint.resolve("spool") + "\"} 1.0")
          .contains("edgeagent_spool_dropped_oldest_total " + (double) k.spool().droppedOldest());
    }
    try (PipelineHarness h = new PipelineHarness(0, false, List.of());
         KafkaPublishing k = KafkaPublishing.open(config(KAFKA.bootstrapServers(), "disk-drop", "drop_oldest"),
             h.metrics)) {
      assertThat(k.drain(Duration.ofSeconds(90))).isTrue();
      assertThat(k.spool().diskFull()).isFalse();
      assertThat(segmentBytesOnDisk()).as("acknowledged records left the disk").isZero();
      // the run after the drain: the second run refused 14 of 20 here
      assertThat(SpooledCameras.run(h, k, "front", 20).get(120, TimeUnit.SECONDS).captured()).isEqualTo(20);
      assertThat(k.drain(Duration.ofSeconds(90))).isTrue();
      assertThat(k.spool().refused()).isZero();
      assertThat(k.spool().droppedOldest()).isZero();
    }
    List<Long> delivered = SpooledCameras.firstOccurrenceSequences(
        TopicReader.readAll(KAFKA.bootstrapServers(), "disk-drop"), "front");
    assertThat(delivered).as("the newest frames of the outage, then all 20 of the next run")
        .containsExactlyElementsOf(LongStream.concat(LongStream.range(frames - kept, frames),
            LongStream.range(frames, frames + 20)).boxed().toList());
  }

  @Test
  void pauseWaitsOnAFullDiskUntilTheBrokerFreesSpaceAndLosesNothing() throws Exception {
    int frames = 70;
    KAFKA.broker().stop();
    try (PipelineHarness h = new PipelineHarness(0, false, List.of());
         KafkaPublishing k = KafkaPublishing.open(config(KAFKA.bootstrapServers(), "disk-pause", "pause"), h.metrics)) {
      CompletableFuture<CameraPipeline.Result> cam = SpooledCameras.run(h, k, "front", frames);
      await().atMost(Duration.ofSeconds(120)).until(() -> k.spool().diskFull());
      assertThat(k.spool().full()).isTrue();
      long spooledWhileFull = k.spool().appended();
      Thread.sleep(2_000);
      assertThat(k.spool().appended()).as("the camera waits instead of dropping").isEqualTo(spooledWhileFull);
      assertThat(cam).isNotDone();
      KAFKA.broker().restart();
      assertThat(cam.get(180, TimeUnit.SECONDS).captured()).isEqualTo(frames);
      assertThat(k.drain(Duration.ofSeconds(120))).isTrue();
      assertThat(k.spool().refused()).isZero();
      assertThat(k.spool().droppedOldest()).isZero();
      assertThat(k.spool().diskFullEvents()).isPositive();
    }
    assertThat(SpooledCameras.firstOccurrenceSequences(TopicReader.readAll(KAFKA.bootstrapServers(), "disk-pause"),
        "front")).as("every frame once, in order").containsExactlyElementsOf(LongStream.range(0, frames).boxed().toList());
  }

  @Test
  void aDiskFilledByAnotherProgramRefusesCountedAndRecoversByItselfWhenSpaceReturns() throws Exception {
    Path filler = disk.fillLeaving(8 << 10); // less than one record
    try (PipelineHarness h = new PipelineHarness(0, false, List.of());
         KafkaPublishing k = KafkaPublishing.open(config(KAFKA.bootstrapServers(), "disk-other", "drop_oldest"),
             h.metrics)) {
      assertThat(SpooledCameras.run(h, k, "front", 6).get(120, TimeUnit.SECONDS).captured()).isEqualTo(6);
      long lost = k.spool().refused() + h.metrics.total("dropped.sequence_unsaved");
      assertThat(lost).as("nothing of ours to drop: each frame refused, counted").isEqualTo(6);
      assertThat(h.metrics.total("dropped.spool_disk_full")).isEqualTo(k.spool().refused());
      assertThat(k.spool().diskFull() || h.metrics.total("dropped.sequence_unsaved") == 6).isTrue();
      Files.delete(filler);
      assertThat(SpooledCameras.run(h, k, "rear", 10).get(120, TimeUnit.SECONDS).captured()).isEqualTo(10);
      assertThat(k.drain(Duration.ofSeconds(90))).isTrue();
      assertThat(k.spool().diskFull()).isFalse();
    }
    assertThat(SpooledCameras.firstOccurrenceSequences(TopicReader.readAll(KAFKA.bootstrapServers(), "disk-other"),
        "rear")).as("all frames once space is back").containsExactlyElementsOf(LongStream.range(0, 10).boxed().toList());
  }
}
