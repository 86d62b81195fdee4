package io.bastion.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * TLS settings of a tls or wss listener.
 *
 * @param certificates the first one is the default; the others (and the first, if it names
 *     hosts) answer the SNI names in their {@code hosts}
 * @param protocols enabled protocol versions, e.g. TLSv1.2 and TLSv1.3
 * @param ciphers enabled cipher suites (Java names); empty means the provider's defaults
 * @param clientCa certificates that client certificates must chain to; null when client-auth is
 *     none
 * @param sessionCacheSize sessions kept for resumption by session id
 * @param sessionTimeout how long a session may be resumed
 * @param sessionTickets whether stateless session tickets are issued
 */
public record TlsConfig(
    List<CertificateConfig> certificates,
    List<String> protocols,
    List<String> ciphers,
    ClientAuth clientAuth,
    Path clientCa,
    int sessionCacheSize,
    Duration sessionTimeout,
    boolean sessionTickets) {

  public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  public static final List<String> KNOWN_PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
  public static final int DEFAULT_SESSION_CACHE_SIZE = 20_000;
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofHours(1);

  public TlsConfig {
    certificates = List.copyOf(certificates);
    protocols = List.copyOf(protocols);
    ciphers = List.copyOf(ciphers);
  }

  /**
   * One certificate chain with its key.
   *
   * @param cert PEM file: the certificate first, then its intermediates
   * @param key PEM file: PKCS#8 private key, RSA or EC, encrypted when keyPassword is set
   * @param keyPassword password of an encrypted key, or null
   * @param hosts SNI names (globs such as {@code *.example.com}) this certificate answers
   */
  public record CertificateConfig(Path cert, Path key, String keyPassword, List<String> hosts) {
    public CertificateConfig {
      hosts = List.copyOf(hosts);
    }

    @Override
    public String toString() {
      // never print the password
      return "CertificateConfig[cert=" + cert + ", key=" + key + ", hosts=" + hosts + "]";
    }
  }

  /** Whether clients must present a certificate. */
  public enum ClientAuth {
    NONE("none"),
    OPTIONAL("optional"),
    REQUIRED("required");

    private final String configName;

    ClientAuth(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }
}
