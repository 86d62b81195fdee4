package io.bastion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.bastion.admin.NodeControl;
import io.bastion.config.ConfigLoader;
import io.bastion.demo.EmbeddedBroker;
import io.bastion.testing.BastionProcess;
import io.bastion.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration changes apply while sessions that are still allowed stay connected. */
class ReloadIT {

  private static final List<EmbeddedBroker> brokers = new ArrayList<>();
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    for (int i = 1; i <= 3; i++) {
      brokers.add(EmbeddedBroker.start("broker-" + i, dir, 0));
    }
  }

  @AfterAll
  static void stop() {
    CompletableFuture.allOf(brokers.stream().map(EmbeddedBroker::stopAsync).toArray(CompletableFuture[]::new)).join();
  }

  private static String config(int port, int brokerCount, String maxPacketSize) {
    StringBuilder y = new StringBuilder("listeners:\n  - name: mqtt\n    bind: 127.0.0.1\n    port: " + port
        + "\n    max-packet-size: " + maxPacketSize + "\npools:\n  - name: main\n    health:\n"
        + "      interval: 500ms\n      timeout: 400ms\n    brokers:\n");
    for (int i = 0; i < brokerCount; i++) {
      y.append("      - id: ").append(brokers.get(i).name()).append("\n        host: 127.0.0.1\n        port: ")
          .append(brokers.get(i).port()).append('\n');
    }
    return y.append("admin:\n  port: 0\n").toString();
  }

  private static Mqtt3BlockingClient client(String id, int port) {
    Mqtt3BlockingClient c = MqttClient.builder().useMqttVersion3().identifier(id)
        .serverHost("127.0.0.1").serverPort(port).buildBlocking();
    c.connect();
    return c;
  }

  @Test
  void fileChangeAppliesPoolsAndLimitsWithoutDroppingSessions() throws Exception {
    Path file = dir.resolve("bastion.yaml");
    int port = Ports.freePort();
    Files.writeString(file, config(port, 2, "4KiB"));
    try (Bastion bastion = Bastion.start(ConfigLoader.load(file), file);
        ReloadTriggers triggers = new ReloadTriggers(() -> bastion, file)) {
      triggers.start();
      List<Mqtt3BlockingClient> clients = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        clients.add(client("reload-" + i, port));
      }
      Mqtt3BlockingClient small = client("reload-small", port);
      byte[] big = new byte[6000];
      small.publishWith().topic("t").qos(MqttQos.AT_MOST_ONCE).payload(big).send();
      await().atMost(Duration.ofSeconds(5)).until(() -> !small.getState().isConnected());

      // a third broker and a larger packet limit
      Files.writeString(file, config(port, 3, "16KiB"));
      await().atMost(Duration.ofSeconds(10)).until(() -> bastion.pools().get(0).brokers().size() == 3);
      await().atMost(Duration.ofSeconds(10)).until(() ->
          bastion.listeners().get(0).config().maxPacketSize() == 16 * 1024);

      assertThat(clients).allMatch(c -> c.getState().isConnected());
      assertThat(bastion.sessions().size()).isEqualTo(20);
      for (int i = 0; i < 20; i++) {
        String id = "reload-" + i;
        long connects = brokers.stream().mapToLong(b -> b.connectCount(id)).sum();
        assertThat(connects).as(id).isEqualTo(1);
      }
      Mqtt3BlockingClient large = client("reload-large", port);
      large.publishWith().topic("t").qos(MqttQos.AT_LEAST_ONCE).payload(big).send();
      assertThat(large.getState().isConnected()).isTrue();
      large.disconnect();

      // an invalid file changes nothing
      Files.writeString(file, config(port, 3, "16KiB").replace("max-packet-size", "max-packet-sise"));
      assertThatThrownBy(bastion::reload)
          .isInstanceOfSatisfying(NodeControl.ReloadException.class, e ->
              assertThat(e.errors().toString()).contains("listeners[0].max-packet-sise"));
      assertThat(bastion.listeners().get(0).config().maxPacketSize()).isEqualTo(16 * 1024);
      assertThat(clients).allMatch(c -> c.getState().isConnected());
    }
  }

  @Test
  void sighupReloadsARunningProcess() throws Exception {
    Path file = dir.resolve("hup.yaml");
    int port = Ports.freePort();
    Files.writeString(file, config(port, 1, "1MiB"));
    try (BastionProcess process = BastionProcess.start(file, port)) {
      Mqtt3BlockingClient held = client("hup-held", port);
      Files.writeString(file, config(port, 2, "1MiB"));
      new ProcessBuilder("kill", "-HUP", String.valueOf(process.process().pid())).start().waitFor();
      await().atMost(Duration.ofSeconds(10)).until(() -> process.output().contains("configuration reloaded"));
      assertThat(process.output()).contains("broker main/broker-2").contains("added");
      assertThat(held.getState().isConnected()).isTrue();
      held.publishWith().topic("hup").qos(MqttQos.AT_LEAST_ONCE)
          .payload("still here".getBytes(StandardCharsets.UTF_8)).send();
      held.disconnect();
    }
  }
}
