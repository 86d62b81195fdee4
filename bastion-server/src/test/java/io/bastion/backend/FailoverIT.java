package io.bastion.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.bastion.testing.ProxyFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A broker dies under 300 connected clients, then comes back. */
class FailoverIT {

  private static final int CLIENTS = 300;
  private static final int STOPPED = 1;

  private ProxyFixture fixture;
  private final Map<String, Mqtt5AsyncClient> clients = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    fixture = ProxyFixture.start(3);
  }

  @AfterEach
  void stop() {
    CompletableFuture.allOf(clients.values().stream()
        .map(c -> c.disconnect().exceptionally(e -> null)).toArray(CompletableFuture[]::new))
        .orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> null).join();
    fixture.close();
  }

  private Mqtt5AsyncClient client(String id) {
    return MqttClient.builder().useMqttVersion5().identifier(id)
        .serverHost("127.0.0.1").serverPort(fixture.port())
        .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS).maxDelay(500, TimeUnit.MILLISECONDS)
        .applyAutomaticReconnect()
        .buildAsync();
  }

  @Test
  void clientsOfAStoppedBrokerMoveAndComeBackWhenItReturns() {
    List<CompletableFuture<?>> connects = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      String id = "failover-" + i;
      Mqtt5AsyncClient c = client(id);
      clients.put(id, c);
      connects.add(c.connectWith().cleanStart(true).send());
    }
    CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        clients.keySet().stream().allMatch(id -> fixture.brokerHolding(id) == fixture.homeOf(id)));
    List<String> moved = clients.keySet().stream().filter(id -> fixture.homeOf(id) == STOPPED).toList();
    List<String> stayed = clients.keySet().stream().filter(id -> fixture.homeOf(id) != STOPPED).toList();
    assertThat(moved).hasSizeBetween(60, 140);

    fixture.broker(STOPPED).stop();

    // every client is connected again, the moved ones on the next broker of their hash order
    await().atMost(Duration.ofSeconds(30)).until(() ->
        moved.stream().allMatch(id -> fixture.brokerHolding(id) == fixture.hashOrder(id).get(1)));
    await().atMost(Duration.ofSeconds(30)).until(() ->
        clients.values().stream().allMatch(c -> c.getState().isConnected()));
    publishFromAll();
    // the other brokers' clients never moved: one connect each
    for (String id : stayed) {
      assertThat(fixture.broker(fixture.homeOf(id)).connectCount(id)).as(id).isEqualTo(1);
    }

    fixture.restart(STOPPED);
    await().atMost(Duration.ofSeconds(20)).until(() -> fixture.backend(STOPPED).available());

    // existing sessions stay where they are; new sessions of its clients return to it
    assertThat(moved).allMatch(id -> fixture.brokerHolding(id) == fixture.hashOrder(id).get(1));
    List<String> returning = moved.subList(0, 20);
    for (String id : returning) {
      clients.get(id).disconnect().orTimeout(10, TimeUnit.SECONDS).join();
      clients.get(id).connectWith().cleanStart(true).send().orTimeout(10, TimeUnit.SECONDS).join();
    }
    await().atMost(Duration.ofSeconds(10)).until(() ->
        returning.stream().allMatch(id -> fixture.brokerHolding(id) == STOPPED));
    assertThat(moved.subList(20, moved.size()))
        .allMatch(id -> fixture.brokerHolding(id) == fixture.hashOrder(id).get(1));
  }

  private void publishFromAll() {
    CompletableFuture.allOf(clients.entrySet().stream()
            .map(e -> e.getValue().publishWith().topic("failover/" + e.getKey()).qos(MqttQos.AT_LEAST_ONCE)
                .payload("again".getBytes(StandardCharsets.UTF_8)).send())
            .toArray(CompletableFuture[]::new))
        .orTimeout(30, TimeUnit.SECONDS).join();
  }
}
