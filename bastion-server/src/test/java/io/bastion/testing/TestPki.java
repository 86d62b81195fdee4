package io.bastion.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test: server and client certificates signed by it, written
 * as PEM files (PKCS#8 keys, optionally encrypted) the way an operator would have them.
 */
public final class TestPki {

  /** A certificate and its key, and the files they were written to. */
  public record Issued(X509Certificate certificate, PrivateKey key, Path cert, Path keyFile) {
    public BigInteger serial() {
      return certificate.getSerialNumber();
    }
  }

  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Path caFile;

  private TestPki(Path dir, String name) throws GeneralSecurityException, IOException {
    this.dir = dir;
    this.name = name;
    this.caKeys = keyPair("EC");
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
        subject, caKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = sign(b, caKeys.getPrivate());
    this.caFile = dir.resolve(name + ".pem");
    Files.writeString(caFile, pem(ca), StandardCharsets.US_ASCII);
  }

  public static TestPki create(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      return new TestPki(dir, name);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create test CA", e);
    }
  }

  public Path caFile() {
    return caFile;
  }

  public X509Certificate ca() {
    return ca;
  }

  /** A server certificate for localhost and 127.0.0.1 (and {@code hosts}), valid for a month. */
  public Issued server(String fileName, String... hosts) {
    Instant now = Instant.now();
    return issue(fileName, "CN=" + (hosts.length > 0 ? hosts[0] : "localhost"), "EC", null,
        now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), false, hosts);
  }

  /** A client certificate with subject CN {@code cn}. */
  public Issued client(String fileName, String cn) {
    Instant now = Instant.now();
    return issue(fileName, "CN=" + cn + ",O=Bastion tests", "EC", null,
        now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), true);
  }

  /**
   * @param keyType RSA or EC
   * @param password encrypts the key file (PBES2, AES-256) when not null
   */
  public Issued issue(String fileName, String subject, String keyType, String password,
      Instant notBefore, Instant notAfter, boolean clientAuth, String... hosts) {
    try {
      KeyPair keys = keyPair(keyType);
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(),
          Date.from(notBefore), Date.from(notAfter), new X500Name(subject), keys.getPublic());
      List<GeneralName> names = new ArrayList<>();
      if (!clientAuth) {
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        for (String h : hosts) {
          names.add(new GeneralName(GeneralName.dNSName, h));
        }
      } else {
        names.add(new GeneralName(GeneralName.dNSName, subject.substring(3, subject.indexOf(',')) + ".devices.test"));
      }
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(clientAuth ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
      X509Certificate cert = sign(b, caKeys.getPrivate());
      Path certFile = dir.resolve(fileName + ".pem");
      Path keyFile = dir.resolve(fileName + ".key");
      // chain: leaf then CA, as operators usually concatenate them
      writeAtomically(certFile, pem(cert) + pem(ca));
      writeAtomically(keyFile, keyPem(keys.getPrivate(), password));
      return new Issued(cert, keys.getPrivate(), certFile, keyFile);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue " + subject, e);
    }
  }

  /** Trusts this CA only. */
  public SSLContext clientContext() {
    return clientContext(null);
  }

  /** Trusts this CA and presents {@code identity} when the server asks for a certificate. */
  public SSLContext clientContext(Issued identity) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(identity == null ? null : keyManagers(identity).getKeyManagers(),
          trustManagers().getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public TrustManagerFactory trustManagers() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf;
  }

  public KeyManagerFactory keyManagers(Issued identity) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("me", identity.key(), new char[0], new X509Certificate[] {identity.certificate(), ca});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    return kmf;
  }

  /** A Java key store holding {@code identity}, for servers (HiveMQ) that want one. */
  public Path keyStore(Issued identity, String fileName, String password)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("JKS");
    store.load(null, null);
    store.setKeyEntry("server", identity.key(), password.toCharArray(),
        new X509Certificate[] {identity.certificate(), ca});
    Path file = dir.resolve(fileName);
    try (var out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }

  private static KeyPair keyPair(String type) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance(type);
    g.initialize(type.equals("RSA") ? 2048 : 256);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
    try {
      String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder(algorithm).build(key)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  public static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(object);
    }
    return out.toString();
  }

  private static String keyPem(PrivateKey key, String password) throws IOException {
    try {
      var encryptor = password == null ? null
          : new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setPRF(PKCS8Generator.PRF_HMACSHA256)
              .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
              .setPassword(password.toCharArray())
              .build();
      return pem(new JcaPKCS8Generator(key, encryptor));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new IOException(e);
    }
  }

  /** Replaces a file in one step, as a deployment tool (or a Kubernetes secret) would. */
  static void writeAtomically(Path file, String text) {
    try {
      Path tmp = Files.createTempFile(file.getParent(), ".tmp-", ".pem");
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
