package io.bastion.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import io.bastion.testing.BastionProcess;
import io.bastion.testing.ProxyFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client ids spread evenly and always land on the same broker, through either of two Bastions. */
class StickinessIT {

  /** Thousands of client ids from one address on purpose: the per-address rules only report. */
  private static final String ONE_ADDRESS_FLEET = "detection:\n  rules:\n"
      + "    connect-flood: { mode: observe }\n    client-id-churn: { mode: observe }\n";

  private static ProxyFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ProxyFixture.startYaml(3, java.nio.file.Path.of("."), f -> patientHealth(f.configYaml(0)) + ONE_ADDRESS_FLEET);
  }

  /**
   * Health checks that ride out a busy machine: stickiness is what is tested here, and a broker
   * marked down by two slow probes (400 ms each) rightly sends a client to the next broker.
   */
  private static String patientHealth(String yaml) {
    String fast = "interval: 500ms\n      timeout: 400ms\n      rise: 1\n      fall: 2";
    if (!yaml.contains(fast)) {
      throw new IllegalStateException("the fixture's health settings changed: " + yaml);
    }
    return yaml.replace(fast, "interval: 1s\n      timeout: 900ms\n      rise: 1\n      fall: 5");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** Connects and disconnects each id once through {@code port}, {@code parallel} at a time. */
  private static void connectOnce(List<String> ids, int port) {
    int parallel = 50;
    for (int from = 0; from < ids.size(); from += parallel) {
      List<CompletableFuture<?>> batch = new ArrayList<>();
      for (String id : ids.subList(from, Math.min(ids.size(), from + parallel))) {
        Mqtt3AsyncClient c = MqttClient.builder().useMqttVersion3().identifier(id)
            .serverHost("127.0.0.1").serverPort(port).buildAsync();
        batch.add(c.connect().thenCompose(ack -> c.disconnect()));
      }
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  private static long connectsOnBroker(int broker, String id) {
    return fixture.broker(broker).connectCount(id);
  }

  @Test
  void threeThousandClientIdsSpreadWithinTenPercent() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      ids.add("spread-" + i);
    }
    connectOnce(ids, fixture.port());
    await().atMost(Duration.ofSeconds(20)).until(() ->
        ids.stream().allMatch(id -> connectsOnBroker(0, id) + connectsOnBroker(1, id) + connectsOnBroker(2, id) == 1));
    for (int b = 0; b < 3; b++) {
      int broker = b;
      long count = ids.stream().filter(id -> connectsOnBroker(broker, id) == 1).count();
      assertThat(count).as("clients on broker %d", b).isBetween(900L, 1100L);
    }
  }

  @Test
  void reconnectsLandOnTheSameBrokerThroughEitherBastion() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ids.add("sticky-" + i);
    }
    try (BastionProcess second = BastionProcess.start(p -> patientHealth(fixture.configYaml(p)) + ONE_ADDRESS_FLEET)) {
      for (int round = 0; round < 5; round++) {
        // rounds alternate between the two nodes' ports for half of the ids
        List<String> first = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          ((i + round) % 2 == 0 ? first : other).add(ids.get(i));
        }
        connectOnce(first, fixture.port());
        connectOnce(other, second.port());
      }
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id ->
        connectsOnBroker(0, id) + connectsOnBroker(1, id) + connectsOnBroker(2, id) == 5));
    for (String id : ids) {
      int home = fixture.homeOf(id);
      assertThat(connectsOnBroker(home, id)).as(id).isEqualTo(5);
    }
  }
}
