package io.bastion.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.bastion.Bastion;
import io.bastion.config.ConfigLoader;
import io.bastion.demo.EmbeddedBroker;
import io.bastion.testing.Ports;
import io.bastion.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pool reached over TLS: HiveMQ's TLS listener checks Bastion's client certificate too. */
class BrokerTlsIT {

  @TempDir static Path dir;
  private static EmbeddedBroker broker;
  private static Bastion bastion;

  @BeforeAll
  static void start() throws Exception {
    TestPki pki = TestPki.create(dir, "broker-ca");
    Path keyStore = pki.keyStore(pki.server("broker"), "broker.jks", "changeit");
    Path trustStore = dir.resolve("trust.jks");
    KeyStore trust = KeyStore.getInstance("JKS");
    trust.load(null, null);
    trust.setCertificateEntry("ca", pki.ca());
    try (var out = Files.newOutputStream(trustStore)) {
      trust.store(out, "changeit".toCharArray());
    }
    pki.client("bastion-client", "bastion-node");
    int tlsPort = Ports.freePort();
    broker = EmbeddedBroker.start("tls-broker", dir, 0, """
        <tls-tcp-listener>
            <port>%d</port>
            <bind-address>127.0.0.1</bind-address>
            <tls>
                <keystore>
                    <path>%s</path>
                    <password>changeit</password>
                    <private-key-password>changeit</private-key-password>
                </keystore>
                <truststore>
                    <path>%s</path>
                    <password>changeit</password>
                </truststore>
                <client-authentication-mode>REQUIRED</client-authentication-mode>
            </tls>
        </tls-tcp-listener>
        """.formatted(tlsPort, keyStore, trustStore));
    bastion = Bastion.start(ConfigLoader.parse("""
        listeners:
          - { name: mqtt, bind: 127.0.0.1, port: 0 }
        pools:
          - name: secure
            tls:
              ca: broker-ca.pem
              cert: bastion-client.pem
              key: bastion-client.key
            health: { interval: 500ms, timeout: 400ms, rise: 1 }
            brokers:
              - { id: tls-broker, host: 127.0.0.1, port: %d }
        admin:
          enabled: false
        """.formatted(tlsPort), "test.yaml", name -> null, dir));
  }

  @AfterAll
  static void stop() {
    if (bastion != null) {
      bastion.close();
    }
    if (broker != null) {
      broker.stopAsync().join();
    }
  }

  @Test
  void sessionsAndProbesReachTheBrokerOverTls() throws Exception {
    Mqtt5BlockingClient client = MqttClient.builder().identifier("over-tls").serverHost("127.0.0.1")
        .serverPort(bastion.port("mqtt")).useMqttVersion5().buildBlocking();
    client.connect();
    await().atMost(java.time.Duration.ofSeconds(5)).until(() -> broker.isConnected("over-tls"));
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client.subscribeWith().topicFilter("secure/#").send();
      client.publishWith().topic("secure/x").payload("re-encrypted".getBytes(StandardCharsets.UTF_8)).send();
      assertThat(publishes.receive(10, TimeUnit.SECONDS)).hasValueSatisfying(p ->
          assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("re-encrypted"));
    } finally {
      client.disconnect();
    }
    assertThat(bastion.backends().pool("secure").brokers().get(0).healthy()).isTrue();
  }
}
