package io.bastion.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.bastion.backend.Broker;
import io.bastion.demo.EmbeddedBroker;
import io.bastion.testing.ProxyFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Draining one of three brokers under 200 publishing clients: its clients move to their next
 * broker at the configured rate, nobody else moves, and no acknowledged QoS 1 message is lost.
 */
class DrainIT {

  private static final int CLIENTS = 200;
  private static final int DRAINED = 0;
  private static final double RATE = 40;
  private static final int MESSAGES = 20;

  private ProxyFixture fixture;
  private final Map<String, Mqtt5AsyncClient> clients = new HashMap<>();
  private final List<Mqtt5AsyncClient> observers = new ArrayList<>();
  private final Set<String> received = ConcurrentHashMap.newKeySet();
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final Map<String, Mqtt5DisconnectReasonCode> disconnectReasons = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    fixture = ProxyFixture.start(3);
    // observers subscribe on every broker directly, so they see a message wherever it lands
    for (EmbeddedBroker b : fixture.brokers()) {
      Mqtt5AsyncClient observer = MqttClient.builder().useMqttVersion5().identifier("observer-" + b.name())
          .serverHost("127.0.0.1").serverPort(b.port()).buildAsync();
      observer.publishes(MqttGlobalPublishFilter.ALL, p ->
          received.add(p.getTopic() + "#" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
      observer.connect().join();
      observer.subscribeWith().topicFilter("drain/#").qos(MqttQos.AT_LEAST_ONCE).send().join();
      observers.add(observer);
    }
  }

  @AfterEach
  void stop() {
    List<CompletableFuture<?>> all = new ArrayList<>();
    clients.values().forEach(c -> all.add(c.disconnect().exceptionally(e -> null)));
    observers.forEach(c -> all.add(c.disconnect().exceptionally(e -> null)));
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS)
        .exceptionally(e -> null).join();
    fixture.close();
  }

  @Test
  void drainMovesOnlyTheDrainedBrokersClientsAtTheConfiguredRate() throws Exception {
    List<CompletableFuture<?>> connects = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      String id = "drain-" + i;
      Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier(id)
          .serverHost("127.0.0.1").serverPort(fixture.port())
          .automaticReconnect().initialDelay(20, TimeUnit.MILLISECONDS).maxDelay(200, TimeUnit.MILLISECONDS)
          .applyAutomaticReconnect()
          .addDisconnectedListener(ctx -> {
            if (ctx.getCause() instanceof Mqtt5DisconnectException d) {
              disconnectReasons.put(id, d.getMqttMessage().getReasonCode());
            }
          })
          .buildAsync();
      clients.put(id, c);
      connects.add(c.connectWith().cleanStart(false).sessionExpiryInterval(600).send());
    }
    CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    List<String> moving = clients.keySet().stream().filter(id -> fixture.homeOf(id) == DRAINED).toList();
    List<String> staying = clients.keySet().stream().filter(id -> fixture.homeOf(id) != DRAINED).toList();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        clients.keySet().stream().allMatch(id -> fixture.brokerHolding(id) == fixture.homeOf(id)));

    // every client publishes QoS 1 messages one after another while the drain runs
    Set<String> retried = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Void>> publishing = new ArrayList<>();
    for (Map.Entry<String, Mqtt5AsyncClient> e : clients.entrySet()) {
      publishing.add(publishSequence(e.getKey(), e.getValue(), 0, retried));
    }

    Broker drained = fixture.backend(DRAINED);
    long started = System.nanoTime();
    int scheduled = fixture.bastion().drainer().drain(drained, RATE);
    assertThat(scheduled).isEqualTo(moving.size());
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.bastion().sessions().on(drained).isEmpty());
    double seconds = (System.nanoTime() - started) / 1e9;
    // the rate holds: n sessions at RATE per second take at least (n - 1) / RATE seconds
    assertThat(seconds).isGreaterThanOrEqualTo((moving.size() - 1) / RATE * 0.9);

    await().atMost(Duration.ofSeconds(30)).until(() ->
        moving.stream().allMatch(id -> fixture.brokerHolding(id) == fixture.hashOrder(id).get(1)));
    assertThat(fixture.broker(DRAINED).connectedClientIds()).doesNotContainAnyElementsOf(moving);
    assertThat(moving).allMatch(id -> disconnectReasons.get(id) == Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER);
    for (String id : staying) {
      assertThat(fixture.broker(fixture.homeOf(id)).connectCount(id)).as(id).isEqualTo(1);
    }

    CompletableFuture.allOf(publishing.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    // every message a broker acknowledged reached a subscriber: Bastion lost none on the way
    assertThat(acked).hasSize(CLIENTS * MESSAGES);
    await().atMost(Duration.ofSeconds(20)).until(() -> received.containsAll(acked));
    // only clients that moved ever had to send again
    assertThat(moving).containsAll(retried);
  }

  /**
   * Publishes MESSAGES QoS 1 messages in order, each after the previous one's PUBACK. A publish in
   * flight when the session moves fails on the client, which sends it again, as a device would:
   * these brokers are not clustered, so the new broker has no session to resume.
   */
  private CompletableFuture<Void> publishSequence(String id, Mqtt5AsyncClient c, int n, Set<String> retried) {
    if (n == MESSAGES) {
      return CompletableFuture.completedFuture(null);
    }
    return c.publishWith().topic("drain/" + id).qos(MqttQos.AT_LEAST_ONCE)
        .payload(String.valueOf(n).getBytes(StandardCharsets.UTF_8)).send()
        .handle((result, error) -> error == null)
        .thenCompose(acknowledged -> {
          if (acknowledged) {
            acked.add("drain/" + id + "#" + n);
          } else {
            retried.add(id);
          }
          return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
              .thenCompose(x -> publishSequence(id, c, acknowledged ? n + 1 : n, retried));
        });
  }
}
