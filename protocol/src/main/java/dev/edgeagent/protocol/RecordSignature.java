package dev.edgeagent.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signatures over a record's value, beyond what TLS gives: TLS protects the link, a
 * signature says which vehicle's key made the record, wherever it has been since (spooled,
 * mirrored between clusters, replayed). The value holds the vehicle id, so a vehicle's key can
 * only vouch for records in its own name: a consumer verifies with the public key it holds for
 * the record's vehicle id. The signature travels in the {@value #HEADER} record header.
 *
 * <p>Keys are PEM files as {@code openssl genpkey -algorithm ed25519} writes them (PKCS#8
 * private, X.509 SubjectPublicKeyInfo public).
 */
public final class RecordSignature {
  /** Kafka header carrying the 64-byte Ed25519 signature of the record value. */
  public static final String HEADER = "edgeagent-sig";
  private static final String ALGORITHM = "Ed25519";

  private RecordSignature() {}

  /** Signs with one private key; a new {@link Signature} per call keeps it thread-safe. */
  public static final class Signer {
    private final PrivateKey key;

    private Signer(PrivateKey key) {
      this.key = key;
    }

    public byte[] sign(byte[] value) {
      try {
        Signature s = Signature.getInstance(ALGORITHM);
        s.initSign(key);
        s.update(value);
        return s.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
      }
    }
  }

  /** Reads a PEM PKCS#8 Ed25519 private key; IOException says what is wrong with the file. */
  public static Signer signer(Path privateKeyPem) throws IOException {
    byte[] der = pem(privateKeyPem, "PRIVATE KEY");
    try {
      return new Signer(KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der)));
    } catch (GeneralSecurityException e) {
      throw new IOException(privateKeyPem + " is not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /** Reads a PEM X.509 Ed25519 public key. */
  public static PublicKey publicKey(Path publicKeyPem) throws IOException {
    byte[] der = pem(publicKeyPem, "PUBLIC KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(publicKeyPem + " is not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** Whether {@code signature} is {@code key}'s signature of {@code value}. */
  public static boolean verify(PublicKey key, byte[] value, byte[] signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(value);
      return s.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** PEM text of a key, for tests and key tooling. */
  public static String toPem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  private static byte[] pem(Path file, String label) throws IOException {
    String text = Files.readString(file);
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b < 0 || e < b) {
      throw new IOException(file + " is not a PEM '" + label + "' file");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    } catch (IllegalArgumentException x) {
      throw new IOException(file + ": the PEM body is not base64", x);
    }
  }
}
