package io.bastion.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.TestPki;
import io.bastion.testing.TestPki.Issued;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client certificates: unknown ones are refused in the handshake, known ones routed by CN. */
class MutualTlsIT {

  @TempDir static Path dir;
  private static TestPki pki;
  private static TestPki stranger;
  private static ProxyFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir, "fleet-ca");
    stranger = TestPki.create(dir.resolve("elsewhere"), "stranger-ca");
    pki.server("server");
    fixture = ProxyFixture.startYaml(3, dir, f -> """
        listeners:
          - name: mtls
            bind: 127.0.0.1
            port: 0
            protocol: tls
            tls:
              certificates: [{ cert: server.pem, key: server.key }]
              client-auth: required
              client-ca: fleet-ca.pem
        pools:
          - name: devices
            health: { interval: 500ms, timeout: 400ms, rise: 1 }
            brokers:
              - { id: broker-1, host: 127.0.0.1, port: %d }
          - name: others
            health: { interval: 500ms, timeout: 400ms, rise: 1 }
            brokers:
              - { id: broker-2, host: 127.0.0.1, port: %d }
              - { id: broker-3, host: 127.0.0.1, port: %d }
        rules:
          - { name: devices-by-cert, pool: devices, cert-cn: "device-*" }
          - { name: rest, pool: others }
        admin:
          port: 0
        """.formatted(f.broker(0).port(), f.broker(1).port(), f.broker(2).port()));
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static Mqtt5BlockingClient client(String id, KeyManagerFactory identity) throws Exception {
    var ssl = MqttClient.builder().identifier(id).serverHost("127.0.0.1")
        .serverPort(fixture.bastion().port("mtls")).sslConfig().trustManagerFactory(pki.trustManagers());
    if (identity != null) {
      ssl = ssl.keyManagerFactory(identity);
    }
    return ssl.applySslConfig().useMqttVersion5().buildBlocking();
  }

  private static ListenerStats stats() {
    return fixture.bastion().listeners().get(0).stats();
  }

  @Test
  void knownCertificatesAreRoutedByTheirCommonName() throws Exception {
    Issued device = pki.client("device-7", "device-7");
    Issued sensor = pki.client("sensor-3", "sensor-3");
    Mqtt5BlockingClient a = client("cn-routed-a", pki.keyManagers(device));
    Mqtt5BlockingClient b = client("cn-routed-b", pki.keyManagers(sensor));
    a.connect();
    b.connect();
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> fixture.brokerHolding("cn-routed-a") == 0);
      await().atMost(Duration.ofSeconds(5)).until(() -> fixture.brokerHolding("cn-routed-b") > 0);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void unknownOrMissingCertificatesAreRefused() throws Exception {
    long failuresBefore = stats().tlsHandshakeFailures();
    Issued impostor = stranger.client("impostor", "device-1");
    Mqtt5BlockingClient unknown = client("impostor", stranger.keyManagers(impostor));
    assertThatThrownBy(unknown::connect).isInstanceOf(RuntimeException.class);
    Mqtt5BlockingClient anonymous = client("anonymous", null);
    assertThatThrownBy(anonymous::connect).isInstanceOf(RuntimeException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> stats().tlsHandshakeFailures() >= failuresBefore + 2);
    assertThat(fixture.brokerHolding("impostor")).isEqualTo(-1);
    assertThat(fixture.brokerHolding("anonymous")).isEqualTo(-1);
  }
}
