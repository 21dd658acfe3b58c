package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.encode.VideoFileWriter;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.RecordDecodeException;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.spool.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reads frame records back from a topic into image files: the fleet side of the protocol, for checks and demos. */
@Command(name = "consume", mixinStandardHelpOptions = true,
    header = "Read frame records from a topic into image files, with a de-dup and gap report.",
    description = {"Reads frame records from a Kafka topic and writes each image to <output>/<camera>/<sequence>.jpg "
        + "(with --video, also <output>/<camera>.mp4). Skips duplicates (same record id), counts records "
        + "that do not decode, and reports sequence gaps per camera. Stops after --max records or when none "
        + "arrived for --timeout-seconds.",
        "",
        "The last line on stdout is a JSON summary: records, written, cameras, duplicates, gaps (numbers that "
        + "never arrived), restart_jumps (numbers an agent restart skipped, which were never used), "
        + "bad_records, per_camera (and videos with --video). Exit 0; 65 when some records did not decode; "
        + "66 when the topic does not exist; 75 when the broker does not answer."})
public final class ConsumeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumeCommand.class);
  /** The camera id rule of the config (ConfigLoader), applied to ids read from the topic. */
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  @Option(names = "--bootstrap", required = true, paramLabel = "<host:port,...>", description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(names = "--topic", required = true, description = "The frame topic.")
  String topic;

  @Option(names = "--output", required = true, paramLabel = "<dir>", description = "Folder for the images.")
  Path output;

  @Option(names = "--from-beginning", description = "Read the topic from its start (default: only new records).")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records (default: no limit).")
  long max;

  @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "10",
      description = "Stop when no record arrived for S seconds (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--by-vehicle", description = "Write <output>/<vehicle>/<camera>/<sequence>.jpg, for topics"
      + " several vehicles publish to (their camera ids may clash).")
  boolean byVehicle;

  @Option(names = "--consumer-config", paramLabel = "<file.properties>",
      description = "Kafka consumer properties for a secured cluster (security.protocol, ssl.truststore.*, "
          + "ssl.keystore.*, sasl.*), as Kafka's own tools take them.")
  Path consumerConfig;

  @Option(names = "--trusted-keys", paramLabel = "<dir>",
      description = "Verify every record's Ed25519 signature against <dir>/<vehicle id>.pub (PEM); a record that is "
          + "unsigned, from an unknown vehicle or wrongly signed is not written and counted (exit 65).")
  Path trustedKeys;

  @Option(names = "--video", description = "Also write <output>/<camera>.mp4 from each camera's images, in sequence order.")
  boolean video;

  @Option(names = "--video-fps", defaultValue = "25", paramLabel = "<fps>",
      description = "Frame rate of those videos (default: ${DEFAULT-VALUE}).")
  double videoFps;

  private boolean warnedVehicles;
  private SignatureCheck verifier;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1 || max < 0) {
      throw new CliFailure(ExitCodes.USAGE, "--timeout-seconds must be at least 1 and --max not negative");
    }
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.CANT_CREATE, "cannot create " + output + ": " + e.getMessage());
    }
    ConsumeTally tally = new ConsumeTally();
    Properties props = props();
    verifier = trustedKeys == null ? null : SignatureCheck.load(trustedKeys);
    long written = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      assign(consumer);
      long idleSince = System.nanoTime();
      while ((max == 0 || tally.records() < max)
          && System.nanoTime() - idleSince < Duration.ofSeconds(timeoutSeconds).toNanos()) {
        for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
          idleSince = System.nanoTime();
          tally.read();
          written += handle(rec, tally);
          if (max > 0 && tally.records() >= max) {
            break;
          }
        }
      }
    } catch (KafkaException e) {
      throw new CliFailure(ExitCodes.TEMP_FAIL, "reading " + topic + " from " + bootstrap + " failed: " + e.getMessage());
    }
    var summary = tally.summary(written);
    if (verifier != null) {
      verifier.addTo(summary);
    }
    if (video) {
      summary.set("videos", writeVideos());
    }
    System.out.println(new ObjectMapper().writeValueAsString(summary));
    return tally.badRecords() > 0 || (verifier != null && verifier.rejected() > 0) ? ExitCodes.DATA_ERR : ExitCodes.OK;
  }

  /** Every partition, without a consumer group: nothing to coordinate, no offsets committed. */
  private void assign(KafkaConsumer<String, byte[]> consumer) throws CliFailure {
    List<PartitionInfo> parts;
    try {
      parts = consumer.partitionsFor(topic, Duration.ofSeconds(timeoutSeconds));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new CliFailure(ExitCodes.TEMP_FAIL, "no answer from " + bootstrap + " within " + timeoutSeconds + " s");
    }
    if (parts == null || parts.isEmpty()) {
      throw new CliFailure(ExitCodes.NO_INPUT, "topic " + topic + " does not exist on " + bootstrap);
    }
    List<TopicPartition> tps = parts.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(tps);
    if (fromBeginning) {
      consumer.seekToBeginning(tps);
    } else {
      consumer.seekToEnd(tps);
    }
  }

  /** @return 1 when an image was written */
  private int handle(ConsumerRecord<String, byte[]> rec, ConsumeTally tally) throws CliFailure {
    FrameRecord r;
    try {
      r = FrameRecordCodec.decode(rec.value());
    } catch (RecordDecodeException e) {
      tally.bad();
      LOG.warn("event=bad_record partition={} offset={} reason=\"{}\"", rec.partition(), rec.offset(), e.getMessage());
      return 0;
    }
    RecordId id;
    try {
      id = RecordId.of(r);
    } catch (IllegalArgumentException e) {
      tally.bad();
      LOG.warn("event=bad_record partition={} offset={} reason=\"{}\"", rec.partition(), rec.offset(), e.getMessage());
      return 0;
    }
    if (!safeName(id.camera()) || (byVehicle && !id.vehicle().isEmpty() && !safeName(id.vehicle()))) {
      // the ids become folder names: a record must not be able to write outside --output
      tally.bad();
      LOG.warn("event=bad_record partition={} offset={} reason=\"unsafe id for a folder name\"", rec.partition(),
          rec.offset());
      return 0;
    }
    if (verifier != null && !verifier.accepts(rec, r.getVehicleId())) {
      return 0;
    }
    if (!tally.firstTime(id, r.getRunStartSequence())) {
      return 0;
    }
    if (!byVehicle && !warnedVehicles && tally.vehicles() > 1) {
      warnedVehicles = true;
      LOG.warn("event=several_vehicles topic={} hint=\"same camera ids overwrite each other; use --by-vehicle\"", topic);
    }
    write(id, r.getImage().toByteArray());
    return 1;
  }

  /** One MP4 per camera folder, frames in sequence order; returns camera -> frames written. */
  private com.fasterxml.jackson.databind.node.ObjectNode writeVideos() throws CliFailure {
    var out = new ObjectMapper().createObjectNode();
    // the JPEGs are decoded with OpenCV; nothing else on the consume path loads its native
    // library, so without this the first imread fails with UnsatisfiedLinkError
    OpenCv.ensureLoaded();
    try (var dirs = Files.walk(output)) {
      for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.equals(output)).sorted().toList()) {
        List<Path> frames;
        try (var files = Files.list(dir)) {
          frames = files.filter(f -> f.getFileName().toString().matches("\\d+\\.jpg"))
              .sorted(java.util.Comparator.comparing(f -> Long.parseUnsignedLong(
                  f.getFileName().toString().replace(".jpg", "")), Long::compareUnsigned))
              .toList();
        }
        if (frames.isEmpty()) {
          continue;
        }
        Path mp4 = dir.resolveSibling(dir.getFileName() + ".mp4");
        out.put(output.relativize(dir).toString(), VideoFileWriter.fromPublishedJpegs(frames, mp4, videoFps));
      }
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.IO_ERR, "cannot write the videos under " + output + ": " + e.getMessage());
    }
    return out;
  }

  private static boolean safeName(String s) {
    return SAFE_NAME.matcher(s).matches() && !s.equals(".") && !s.equals("..");
  }

  /** Temp file then rename, so a reader of the folder never sees half an image. */
  private void write(RecordId id, byte[] jpeg) throws CliFailure {
    Path dir = byVehicle ? output.resolve(id.vehicle().isEmpty() ? "_" : id.vehicle()).resolve(id.camera())
        : output.resolve(id.camera());
    Path out = dir.resolve(Long.toUnsignedString(id.sequence()) + ".jpg");
    try {
      Files.createDirectories(dir);
      AtomicFile.write(out, jpeg, false);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.IO_ERR, "cannot write " + out + ": " + e.getMessage());
    }
  }

  private Properties props() throws CliFailure {
    Properties p = new Properties();
    if (consumerConfig != null) {
      try (var in = Files.newBufferedReader(consumerConfig)) {
        p.load(in);
      } catch (IOException e) {
        throw new CliFailure(ExitCodes.NO_INPUT, "--consumer-config " + consumerConfig + " cannot be read: "
            + e.getMessage());
      }
    }
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "edgeagent-consume");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // a mistyped --topic must fail, not create an empty topic on the fleet cluster
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeoutSeconds * 1000));
    return p;
  }
}
