package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bastion.config.TlsConfig.ClientAuth;
import io.bastion.testing.TestPki;
import io.bastion.testing.TestPki.Issued;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS, WebSocket and PROXY protocol settings, and certificate files checked when loading. */
class TlsConfigTest {

  @TempDir static Path dir;
  private static TestPki pki;
  private static Issued server;

  private static final String POOL = """
      pools:
        - name: default
          brokers:
            - host: 127.0.0.1
              port: 1884
      """;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir, "test-ca");
    server = pki.server("server");
  }

  private static BastionConfig load(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "test.yaml", name -> null, dir);
  }

  private static List<ConfigError> errors(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> load(yaml)).errors();
  }

  private static String tlsListener(String cert, String key, String extra) {
    return """
        listeners:
          - name: mqtts
            port: 8883
            protocol: tls
            tls:
              certificates:
                - cert: %s
                  key: %s
        %s""".formatted(cert, key, extra) + POOL;
  }

  @Test
  void everyKindOfListener() throws Exception {
    Issued other = pki.issue("other", "CN=other.example", "RSA", "s3cret",
        Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(2)), false,
        "other.example");
    BastionConfig c = load("""
        listeners:
          - name: mqtt
            port: 1883
            proxy-protocol:
              trusted: [10.0.0.0/8, 192.168.1.5, "fd00::/8"]
          - name: mqtts
            port: 8883
            protocol: tls
            tls:
              certificates:
                - cert: server.pem
                  key: server.key
                - cert: other.pem
                  key: other.key
                  key-password: s3cret
                  hosts: ["*.other.example", other.example]
              protocols: [TLSv1.3]
              client-auth: optional
              client-ca: test-ca.pem
              session-timeout: 10m
          - name: ws
            port: 8080
            protocol: ws
          - name: wss
            port: 8443
            protocol: wss
            tls:
              certificates:
                - { cert: server.pem, key: server.key }
            websocket:
              path: /broker
              allowed-origins: [https://app.example.com]
              max-frame-size: 64KiB
        pools:
          - name: default
            proxy-protocol-out: true
            tls:
              ca: test-ca.pem
              verify-hostname: false
            brokers:
              - host: 127.0.0.1
                port: 1884
        rules:
          - pool: default
            sni: "*.example.com"
            cert-cn: "device-*"
        """);
    assertThat(c.listeners().get(0).protocol()).isEqualTo(ListenerProtocol.TCP);
    assertThat(c.listeners().get(0).proxyProtocol().trusted())
        .containsExactly("10.0.0.0/8", "192.168.1.5", "fd00::/8");
    TlsConfig tls = c.listeners().get(1).tls();
    assertThat(tls.certificates()).hasSize(2);
    assertThat(tls.certificates().get(0).cert()).isEqualTo(dir.resolve("server.pem"));
    assertThat(tls.certificates().get(1).hosts()).containsExactly("*.other.example", "other.example");
    assertThat(tls.protocols()).containsExactly("TLSv1.3");
    assertThat(tls.clientAuth()).isEqualTo(ClientAuth.OPTIONAL);
    assertThat(tls.sessionTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.listeners().get(2).websocket()).isEqualTo(WebSocketConfig.DEFAULT);
    assertThat(c.listeners().get(3).websocket())
        .isEqualTo(new WebSocketConfig("/broker", List.of("mqtt", "mqttv3.1"),
            List.of("https://app.example.com"), 65536));
    assertThat(c.listeners().get(3).tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(c.pools().get(0).proxyProtocolOut()).isTrue();
    assertThat(c.pools().get(0).tls().verifyHostname()).isFalse();
    assertThat(c.rules().get(0).sni()).isEqualTo("*.example.com");
    assertThat(c.rules().get(0).certCn()).isEqualTo("device-*");
  }

  @Test
  void missingCertificateFileNamesTheFile() {
    assertThat(errors(tlsListener("nowhere.pem", "server.key", ""))).containsExactly(
        new ConfigError("listeners[0].tls.certificates[0].cert", 7,
            dir.resolve("nowhere.pem") + ": file not found"));
  }

  @Test
  void keyOfAnotherCertificate() {
    Issued other = pki.server("unrelated");
    assertThat(errors(tlsListener("server.pem", other.keyFile().getFileName().toString(), "")))
        .containsExactly(new ConfigError("listeners[0].tls.certificates[0].key", 8,
            dir.resolve("unrelated.key") + ": this key does not belong to the certificate in "
                + dir.resolve("server.pem")));
  }

  @Test
  void expiredCertificate() {
    Instant now = Instant.now();
    Issued old = pki.issue("expired", "CN=old", "RSA", null, now.minus(Duration.ofDays(10)),
        now.minus(Duration.ofDays(1)), false);
    List<ConfigError> errors = errors(tlsListener("expired.pem", "expired.key", ""));
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).key()).isEqualTo("listeners[0].tls.certificates[0].cert");
    assertThat(errors.get(0).message()).startsWith(dir.resolve("expired.pem") + ": certificate 'CN=old' expired on ");
    assertThat(old.certificate().getNotAfter()).isBeforeOrEqualTo(java.util.Date.from(now));
  }

  @Test
  void encryptedKeyNeedsTheRightPassword() {
    pki.issue("locked", "CN=locked", "EC", "right", Instant.now().minus(Duration.ofHours(1)),
        Instant.now().plus(Duration.ofDays(1)), false);
    assertThat(errors(tlsListener("locked.pem", "locked.key", ""))).containsExactly(
        new ConfigError("listeners[0].tls.certificates[0].key", 8,
            dir.resolve("locked.key") + ": the key is encrypted; set key-password"));
    List<ConfigError> wrong = errors(tlsListener("locked.pem", "locked.key",
        "          key-password: wrong\n"));
    assertThat(wrong).singleElement().satisfies(e -> {
      assertThat(e.key()).isEqualTo("listeners[0].tls.certificates[0].key-password");
      assertThat(e.message()).startsWith(dir.resolve("locked.key") + ": cannot decrypt the key");
    });
  }

  @Test
  void settingsThatDoNotFitTheProtocol() {
    assertThat(errors("""
        listeners:
          - name: a
            port: 1
            protocol: tls
          - name: b
            port: 2
            tls: {certificates: [{cert: server.pem, key: server.key}]}
          - name: c
            port: 3
            protocol: quic
            websocket: {path: /x}
          - name: d
            port: 4
            proxy-protocol:
              trusted: [10.0.0.0/33, example.com]
        """ + POOL)).containsExactly(
        new ConfigError("listeners[0].protocol", 4,
            "protocol tls needs a 'tls' mapping with at least one certificate"),
        new ConfigError("listeners[1].tls", 7, "tls settings need protocol tls or wss (protocol is tcp)"),
        new ConfigError("listeners[2].protocol", 10, "unknown protocol 'quic'; valid values: tcp, tls, ws, wss"),
        new ConfigError("listeners[2].websocket", 11,
            "websocket settings need protocol ws or wss (protocol is tcp)"),
        new ConfigError("listeners[3].proxy-protocol.trusted[0]", 15,
            "prefix length must be 0..32, got '10.0.0.0/33'"),
        new ConfigError("listeners[3].proxy-protocol.trusted[1]", 15,
            "expected an IP address or CIDR block such as 10.0.0.0/8, got 'example.com'"));
  }

  @Test
  void clientAuthNeedsACaAndKnownValues() {
    assertThat(errors(tlsListener("server.pem", "server.key",
        "      client-auth: required\n      protocols: [SSLv3]\n      ciphers: [NOPE]\n")))
        .containsExactly(
            new ConfigError("listeners[0].tls.client-auth", 9,
                "client-auth required needs client-ca, the CA bundle client certificates must chain to"),
            new ConfigError("listeners[0].tls.protocols[0]", 10,
                "unknown TLS protocol 'SSLv3'; valid values: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3"),
            new ConfigError("listeners[0].tls.ciphers[0]", 11, "unknown cipher suite 'NOPE'; use Java "
                + "names such as TLS_AES_128_GCM_SHA256 or TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
  }
}
