package io.bastion.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bastion.Bastion;
import io.bastion.config.BastionConfig;
import io.bastion.config.ConfigLoader;
import io.bastion.testing.Mosquitto;
import io.bastion.testing.MosquittoClients;
import io.bastion.testing.ProxyFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Debian's Mosquitto brokers behind Bastion, driven by mosquitto_pub and mosquitto_sub. */
@Tag("interop")
class MosquittoInteropIT {

  private static final List<Mosquitto> brokers = new ArrayList<>();
  private static Bastion bastion;

  @BeforeAll
  static void start() throws Exception {
    StringBuilder yaml = new StringBuilder("""
        listeners:
          - name: mqtt
            bind: 127.0.0.1
            port: 0
        pools:
          - name: mosquitto
            health:
              interval: 500ms
              timeout: 400ms
            brokers:
        """);
    for (int i = 0; i < 3; i++) {
      Mosquitto m = Mosquitto.start();
      brokers.add(m);
      yaml.append("      - id: mosquitto-").append(i).append("\n        host: 127.0.0.1\n        port: ")
          .append(m.port()).append('\n');
    }
    BastionConfig config = ConfigLoader.parse(yaml.toString(), "interop.yaml");
    bastion = Bastion.start(config);
  }

  @AfterAll
  static void stop() {
    if (bastion != null) {
      bastion.close();
    }
    brokers.forEach(Mosquitto::stop);
  }

  private static int port() {
    return bastion.port("mqtt");
  }

  /** The Mosquitto brokers are not bridged: a publisher id on the subscriber's broker. */
  private static String neighbour(String subscriber) {
    var pool = bastion.backends().pool("mosquitto");
    var home = pool.candidates(subscriber).get(0);
    for (int i = 0; ; i++) {
      String id = subscriber + "-pub-" + i;
      if (pool.candidates(id).get(0) == home) {
        return id;
      }
    }
  }

  @Test
  void mosquittoClientsPublishAndSubscribeThroughBastion() throws Exception {
    for (String version : List.of("mqttv31", "mqttv311", "mqttv5")) {
      String sub = "cli-sub-" + version;
      String topic = "cli/" + version;
      try (MosquittoClients.Running subscriber = MosquittoClients.startSub(port(),
          "-i", sub, "-V", version, "-t", topic, "-q", "1", "-C", "1", "-W", "20")) {
        await().atMost(Duration.ofSeconds(10)).until(() -> bastion.sessions().sessions().stream()
            .anyMatch(s -> s.clientId().equals(sub)));
        // the SUBACK may still be on its way: publish until the subscriber has its message
        String pub = neighbour(sub);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
          MosquittoClients.Result r = MosquittoClients.pub(port(),
              "-i", pub, "-V", version, "-t", topic, "-m", "hello " + version, "-q", "1");
          assertThat(r.exitCode()).as(r.toString()).isZero();
          return !subscriber.isAlive();
        });
        MosquittoClients.Result received = subscriber.await(Duration.ofSeconds(5));
        assertThat(received.exitCode()).as(received.toString()).isZero();
        assertThat(received.stdout()).contains("hello " + version);
      }
    }
  }

  @Test
  void retainedMessageThroughBastion() throws Exception {
    String pub = "cli-retain-pub";
    MosquittoClients.Result r = MosquittoClients.pub(port(), "-i", pub, "-V", "mqttv311",
        "-t", "cli/retained", "-m", "kept", "-r", "-q", "1");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    MosquittoClients.Result s = MosquittoClients.sub(port(), "-i", neighbour(pub), "-V", "mqttv311",
        "-t", "cli/retained", "-C", "1", "-W", "10");
    assertThat(s.exitCode()).as(s.toString()).isZero();
    assertThat(s.stdout()).contains("kept");
  }
}
