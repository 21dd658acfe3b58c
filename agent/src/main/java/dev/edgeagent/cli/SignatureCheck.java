package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.protocol.RecordSignature;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code consume --trusted-keys DIR}: a record is accepted only when its {@link RecordSignature}
 * verifies with the public key held for the vehicle id inside it ({@code DIR/<vehicle>.pub}).
 * So stolen credentials of one vehicle cannot pass records off as another's: its key signs only
 * in its own name, and the broker's ACLs keep it to its own topic prefix besides.
 */
final class SignatureCheck {
  private static final Logger LOG = LoggerFactory.getLogger(SignatureCheck.class);

  private final Map<String, PublicKey> keys;
  private long verified;
  private long unsigned;
  private long unknownVehicle;
  private long badSignature;

  private SignatureCheck(Map<String, PublicKey> keys) {
    this.keys = keys;
  }

  static SignatureCheck load(Path dir) throws CliFailure {
    Map<String, PublicKey> keys = new HashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pub")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        keys.put(name.substring(0, name.length() - ".pub".length()), RecordSignature.publicKey(f));
      }
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.NO_INPUT, "--trusted-keys " + dir + ": " + e.getMessage());
    }
    if (keys.isEmpty()) {
      throw new CliFailure(ExitCodes.NO_INPUT, "--trusted-keys " + dir + " holds no <vehicle id>.pub key");
    }
    return new SignatureCheck(keys);
  }

  /** Whether the record carries a valid signature by its own vehicle's key; counts why not. */
  boolean accepts(ConsumerRecord<String, byte[]> rec, String vehicle) {
    Header h = rec.headers().lastHeader(RecordSignature.HEADER);
    PublicKey key = keys.get(vehicle);
    String why;
    if (h == null) {
      unsigned++;
      why = "unsigned";
    } else if (key == null) {
      unknownVehicle++;
      why = "no trusted key for vehicle";
    } else if (!RecordSignature.verify(key, rec.value(), h.value())) {
      badSignature++;
      why = "signature does not verify";
    } else {
      verified++;
      return true;
    }
    LOG.warn("event=record_rejected partition={} offset={} vehicle=\"{}\" reason=\"{}\"", rec.partition(), rec.offset(),
        vehicle.replace('"', '\''), why);
    return false;
  }

  long rejected() {
    return unsigned + unknownVehicle + badSignature;
  }

  void addTo(ObjectNode summary) {
    summary.putObject("signatures").put("verified", verified).put("unsigned", unsigned)
        .put("unknown_vehicle", unknownVehicle).put("bad_signature", badSignature);
  }
}
