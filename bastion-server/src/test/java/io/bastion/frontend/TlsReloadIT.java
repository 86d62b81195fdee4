package io.bastion.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.TestPki;
import io.bastion.testing.TestPki.Issued;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New certificate files are picked up for new handshakes; connected clients stay connected. */
class TlsReloadIT {

  @TempDir static Path dir;
  private static TestPki pki;
  private static Issued first;
  private static ProxyFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir, "reload-ca");
    first = pki.server("live");
    fixture = ProxyFixture.startYaml(1, dir, f -> """
        listeners:
          - name: tls
            bind: 127.0.0.1
            port: 0
            protocol: tls
            tls:
              certificates: [{ cert: live.pem, key: live.key }]
        pools:
          - name: brokers
            health: { interval: 500ms, timeout: 400ms, rise: 1 }
            brokers:
        """ + f.brokersYaml("      ") + "admin:\n  port: 0\n");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static BigInteger servedSerial() throws Exception {
    try (SSLSocket s = (SSLSocket) pki.clientContext().getSocketFactory()
        .createSocket("127.0.0.1", fixture.bastion().port("tls"))) {
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  @Test
  void replacedFilesServeNewHandshakesWithoutDroppingConnections() throws Exception {
    assertThat(servedSerial()).isEqualTo(first.serial());
    Mqtt5BlockingClient client = MqttClient.builder().identifier("reload-survivor").serverHost("127.0.0.1")
        .serverPort(fixture.bastion().port("tls")).sslConfig().trustManagerFactory(pki.trustManagers())
        .applySslConfig().useMqttVersion5().buildBlocking();
    client.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client.subscribeWith().topicFilter("reload/#").send();

      // the deployment writes the renewed certificate elsewhere, then moves both files in place
      Issued renewed = pki.server("renewed");
      Files.move(renewed.keyFile(), dir.resolve("live.key"), StandardCopyOption.REPLACE_EXISTING);
      Files.move(renewed.cert(), dir.resolve("live.pem"), StandardCopyOption.REPLACE_EXISTING);

      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
          .until(() -> servedSerial().equals(renewed.serial()));
      assertThat(client.getState().isConnected()).isTrue();
      client.publishWith().topic("reload/after").payload("still here".getBytes(StandardCharsets.UTF_8)).send();
      assertThat(publishes.receive(10, TimeUnit.SECONDS)).hasValueSatisfying(p ->
          assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("still here"));
    } finally {
      client.disconnect();
    }
  }
}
