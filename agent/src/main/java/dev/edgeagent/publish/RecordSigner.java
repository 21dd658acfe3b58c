package dev.edgeagent.publish;

import dev.edgeagent.config.ConfigException;
import dev.edgeagent.protocol.RecordSignature;
import java.io.IOException;
import java.nio.file.Path;

/** The agent's side of {@link RecordSignature}: the signing key named by kafka.signing_key_file. */
final class RecordSigner {
  private RecordSigner() {}

  /** Checks at start that the key file is a usable Ed25519 private key; returns it. */
  static Path check(Path key) throws ConfigException {
    try {
      RecordSignature.signer(key);
      return key;
    } catch (IOException e) {
      throw new ConfigException("kafka.signing_key_file: " + e.getMessage());
    }
  }

  /** The signer for a sink, or null when its records go unsigned. */
  static RecordSignature.Signer forSink(KafkaSinkConfig cfg) {
    if (cfg.signingKey() == null) {
      return null;
    }
    try {
      return RecordSignature.signer(cfg.signingKey());
    } catch (IOException e) {
      throw new IllegalArgumentException("kafka.signing_key_file: " + e.getMessage(), e);
    }
  }
}
