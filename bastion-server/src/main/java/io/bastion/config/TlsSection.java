package io.bastion.config;

import io.bastion.config.TlsConfig.CertificateConfig;
import io.bastion.config.TlsConfig.ClientAuth;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Reads {@code listeners[*].tls} and {@code pools[*].tls}, and opens every certificate and key
 * named there, so a missing file, a key that does not belong to its certificate or an expired
 * certificate is a config error with the key, the line, the file and the reason.
 */
final class TlsSection {

  static final List<String> KEYS = List.of("certificates", "protocols", "ciphers", "client-auth",
      "client-ca", "session-cache-size", "session-timeout", "session-tickets");
  static final List<String> CERTIFICATE_KEYS = List.of("cert", "key", "key-password", "hosts");
  static final List<String> BROKER_KEYS = List.of("ca", "cert", "key", "key-password",
      "verify-hostname");

  private TlsSection() {}

  static TlsConfig readListener(MappingReader r, Path baseDir, Instant now) {
    List<CertificateConfig> certificates = new ArrayList<>();
    for (MappingReader c : r.mappings("certificates", CERTIFICATE_KEYS, true)) {
      Path cert = file(c, "cert", baseDir, true);
      Path key = file(c, "key", baseDir, true);
      String password = c.string("key-password", null);
      List<String> hosts = c.strings("hosts").stream().map(MappingReader.Item::value).toList();
      checkPair(c, cert, key, password, now);
      certificates.add(new CertificateConfig(cert, key, password, hosts));
    }
    ClientAuth clientAuth =
        r.value("client-auth", ClientAuth.NONE, "none, optional or required", TlsSection::clientAuth);
    Path clientCa = file(r, "client-ca", baseDir, false);
    if (clientCa != null) {
      checkCertificates(r, "client-ca", clientCa, now, false);
    }
    if (clientAuth != ClientAuth.NONE && clientCa == null && !r.has("client-ca")) {
      r.error("client-auth", "client-auth " + clientAuth.configName()
          + " needs client-ca, the CA bundle client certificates must chain to");
    }
    return new TlsConfig(
        certificates,
        protocols(r),
        ciphers(r),
        clientAuth,
        clientCa,
        r.integer("session-cache-size", TlsConfig.DEFAULT_SESSION_CACHE_SIZE, 0, Integer.MAX_VALUE),
        r.duration("session-timeout", TlsConfig.DEFAULT_SESSION_TIMEOUT, true),
        r.bool("session-tickets", true));
  }

  static BrokerTlsConfig readBroker(MappingReader r, Path baseDir, Instant now) {
    if (r == null) {
      return null;
    }
    Path ca = file(r, "ca", baseDir, false);
    if (ca != null) {
      checkCertificates(r, "ca", ca, now, false);
    }
    Path cert = file(r, "cert", baseDir, false);
    Path key = file(r, "key", baseDir, false);
    String password = r.string("key-password", null);
    if (r.has("cert") != r.has("key")) {
      r.error(r.has("cert") ? "cert" : "key", "a client certificate needs both cert and key");
    } else {
      checkPair(r, cert, key, password, now);
    }
    return new BrokerTlsConfig(ca, cert, key, password, r.bool("verify-hostname", true));
  }

  /** A file path, relative ones against the config file's folder. */
  private static Path file(MappingReader r, String key, Path baseDir, boolean required) {
    return required
        ? r.requiredValue(key, "a file path", text -> baseDir.resolve(text.trim()).normalize())
        : r.value(key, null, "a file path", text -> baseDir.resolve(text.trim()).normalize());
  }

  private static void checkPair(MappingReader r, Path cert, Path key, String password, Instant now) {
    List<X509Certificate> chain = cert == null ? null : checkCertificates(r, "cert", cert, now, true);
    if (key == null) {
      return;
    }
    PrivateKey privateKey;
    try {
      privateKey = PemFiles.privateKey(key, password);
    } catch (IllegalArgumentException e) {
      r.error(r.has("key-password") && e.getMessage().contains("decrypt") ? "key-password" : "key",
          e.getMessage());
      return;
    }
    if (chain != null && !PemFiles.matches(privateKey, chain.get(0))) {
      r.error("key", key + ": this key does not belong to the certificate in " + cert);
    }
  }

  /** The file's certificates, or null when something is wrong with them (reported). */
  private static List<X509Certificate> checkCertificates(MappingReader r, String key, Path file,
      Instant now, boolean leafOnly) {
    List<X509Certificate> certs;
    try {
      certs = PemFiles.certificates(file);
    } catch (IllegalArgumentException e) {
      r.error(key, e.getMessage());
      return null;
    }
    for (X509Certificate c : leafOnly ? certs.subList(0, 1) : certs) {
      String problem = PemFiles.validityProblem(c, now);
      if (problem != null) {
        r.error(key, file + ": " + problem);
        return null;
      }
    }
    return certs;
  }

  private static List<String> protocols(MappingReader r) {
    List<String> protocols = new ArrayList<>();
    for (MappingReader.Item item : r.strings("protocols")) {
      if (!TlsConfig.KNOWN_PROTOCOLS.contains(item.value())) {
        r.error(item, "unknown TLS protocol '" + item.value() + "'; valid values: "
            + String.join(", ", TlsConfig.KNOWN_PROTOCOLS));
      }
      protocols.add(item.value());
    }
    return r.has("protocols") ? protocols : TlsConfig.DEFAULT_PROTOCOLS;
  }

  private static List<String> ciphers(MappingReader r) {
    List<MappingReader.Item> items = r.strings("ciphers");
    if (items.isEmpty()) {
      return List.of();
    }
    Set<String> known = knownCiphers();
    for (MappingReader.Item item : items) {
      if (!known.contains(item.value())) {
        r.error(item, "unknown cipher suite '" + item.value() + "'; use Java names such as "
            + "TLS_AES_128_GCM_SHA256 or TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
      }
    }
    return items.stream().map(MappingReader.Item::value).toList();
  }

  /** Suites either provider can use: the JDK's, and OpenSSL's when it loads. */
  private static Set<String> knownCiphers() {
    Set<String> known;
    try {
      known = Arrays.stream(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites())
          .collect(Collectors.toSet());
    } catch (java.security.NoSuchAlgorithmException e) {
      known = new java.util.HashSet<>();
    }
    if (io.netty.handler.ssl.OpenSsl.isAvailable()) {
      known.addAll(io.netty.handler.ssl.OpenSsl.availableJavaCipherSuites());
    }
    return known;
  }

  private static ClientAuth clientAuth(String text) {
    for (ClientAuth a : ClientAuth.values()) {
      if (a.configName().equals(text.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown client-auth '" + text + "'; valid values: none, optional, required");
  }
}
