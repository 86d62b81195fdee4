package io.bastion.hivemq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.bastion.backend.Broker;
import io.bastion.backend.BrokerSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extension embedded in a real HiveMQ CE announces it to a real Bastion. */
class EmbeddedExtensionIT {

  @TempDir Path dir;

  @Test
  void brokerRegistersReportsLoadAndLeaves() throws Exception {
    try (BastionWithRegistration bastion = new BastionWithRegistration()) {
      ExtensionSettings settings = ExtensionSettings.parse(bastion.extensionProperties("hive-1"));
      EmbeddedHiveMQ hivemq = broker(settings);
      hivemq.start().join();
      long started = System.nanoTime();

      // registers with its real port and takes traffic within a second of its start
      await().atMost(Duration.ofSeconds(1)).until(() -> {
        Broker b = bastion.broker("hive-1");
        return b != null && b.available();
      });
      long millis = (System.nanoTime() - started) / 1_000_000;
      Broker b = bastion.broker("hive-1");
      assertThat(b.source()).isEqualTo(BrokerSource.REGISTERED);
      assertThat(b.address().getPort()).isPositive();
      assertThat(b.leaseExpires()).isNotNull();
      assertThat(millis).isLessThanOrEqualTo(1000);

      // clients routed through Bastion land on it, and its reported load follows them
      List<Mqtt5BlockingClient> clients = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Mqtt5BlockingClient c = client(bastion.mqttPort(), "device-" + i);
        c.connect();
        clients.add(c);
      }
      await().atMost(Duration.ofSeconds(5)).until(() ->
          b.reported() != null && b.reported().connections() == 3 && b.reported().capacity() == 500);
      assertThat(b.sessions()).isEqualTo(3);
      clients.forEach(Mqtt5BlockingClient::disconnect);
      await().atMost(Duration.ofSeconds(5)).until(() -> b.reported().connections() == 0);

      // on stop it deregisters: no broker left, and new clients are refused
      hivemq.stop().join();
      hivemq.close();
      await().atMost(Duration.ofSeconds(5)).until(() -> bastion.brokers().isEmpty());
      assertThatThrownBy(() -> client(bastion.mqttPort(), "late").connect())
          .isInstanceOf(RuntimeException.class);
    }
  }

  private EmbeddedHiveMQ broker(ExtensionSettings settings) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("extensions"));
    Files.writeString(conf.resolve("config.xml"), """
        <?xml version="1.0"?>
        <hivemq>
          <listeners><tcp-listener><port>0</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
          <persistence><mode>in-memory</mode></persistence>
          <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
        </hivemq>
        """, StandardCharsets.UTF_8);
    return EmbeddedHiveMQ.builder()
        .withConfigurationFolder(conf)
        .withDataFolder(dir.resolve("data"))
        .withExtensionsFolder(dir.resolve("extensions"))
        .withoutLoggingBootstrap()
        .withEmbeddedExtension(EmbeddedExtension.builder()
            .withId("bastion-announcer").withName("Bastion announcer").withVersion("1")
            .withPriority(0).withStartPriority(1000)
            .withExtensionMain(new BastionExtensionMain(settings))
            .build())
        .build();
  }

  static Mqtt5BlockingClient client(int port, String id) {
    return MqttClient.builder().identifier(id).serverHost("127.0.0.1").serverPort(port)
        .useMqttVersion5().buildBlocking();
  }
}
