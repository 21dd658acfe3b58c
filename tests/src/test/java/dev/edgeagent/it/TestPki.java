package dev.edgeagent.it;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for the secured broker, made at test time: a CA, then certificates signed by
 * it (EC P-256, SHA-256), written as PEM files the way an operator would receive them.
 */
final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate with its key: {@code cert} (PEM chain: itself, then the CA) and {@code key} (PKCS#8). */
  record Issued(Path cert, Path key, Path both, BigInteger serial, Path crl) {
    Issued(Path cert, Path key, Path both) {
      this(cert, key, both, null, null);
    }
  }

  private final Path dir;
  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate ca;

  private TestPki(Path dir, String name) throws Exception {
    this.dir = Files.createDirectories(dir);
    this.name = name;
    this.caKeys = keys();
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=" + name);
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject, caKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = sign(b, caKeys);
    write(caFile(), pem(ca));
  }

  static TestPki create(Path dir, String name) throws Exception {
    return new TestPki(dir.resolve(name), name);
  }

  Path caFile() {
    return dir.resolve("ca.pem");
  }

  /** A server certificate for 127.0.0.1 and localhost. */
  Issued server(String cn) throws Exception {
    return issue(cn, Duration.ofDays(30), true);
  }

  /** A client certificate, CN = {@code cn}; valid for {@code validity} from an hour ago (negative: expired). */
  Issued client(String cn, Duration validity) throws Exception {
    return issue(cn, validity, false);
  }

  private Issued issue(String cn, Duration validity, boolean server) throws Exception {
    KeyPair kp = keys();
    BigInteger serial = serial();
    Path crl = dir.resolve("crl-" + serial.toString(16) + ".der");
    Instant start = validity.isNegative() ? Instant.now().minus(Duration.ofDays(2)) : Instant.now().minus(Duration.ofHours(1));
    Instant end = validity.isNegative() ? Instant.now().plus(validity) : Instant.now().plus(validity);
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name), serial,
        Date.from(start), Date.from(end), new X500Name("CN=" + cn), kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    // each certificate has its own CRL file, so a verifier's CRL cache (30 s in the JDK) never
    // hides a revocation made for the test; it starts out empty
    b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
        new DistributionPoint(new DistributionPointName(new GeneralNames(
            new GeneralName(GeneralName.uniformResourceIdentifier, crl.toUri().toString()))), null, null)}));
    writeCrl(crl, null);
    if (server) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
    }
    X509Certificate cert = sign(b, caKeys);
    String chain = pem(cert) + pem(ca);
    String key = pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate());
    String file = cn + (validity.isNegative() ? "-expired" : "");
    Path certFile = write(dir.resolve(file + ".crt.pem"), chain);
    Path keyFile = write(dir.resolve(file + ".key.pem"), key);
    Path both = write(dir.resolve(file + ".keystore.pem"), key + chain);
    return new Issued(certFile, keyFile, both, serial, crl);
  }

  /** Revokes a certificate: its CRL now lists it (key compromise). */
  void revoke(Issued cert) throws Exception {
    writeCrl(cert.crl(), cert.serial());
  }

  private void writeCrl(Path file, BigInteger revoked) throws Exception {
    Date now = new Date();
    X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(ca.getSubjectX500Principal().getName()), now);
    b.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(7))));
    if (revoked != null) {
      b.addCRLEntry(revoked, now, CRLReason.keyCompromise);
    }
    X509CRLHolder crl = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
    Files.write(file, crl.getEncoded());
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer) throws Exception {
    X509CertificateHolder h = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
    return new JcaX509CertificateConverter().getCertificate(h);
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }

  private static Path write(Path f, String s) throws IOException {
    return Files.writeString(f, s);
  }
}
