package io.bastion.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.bastion.demo.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The receiving side of a {@link SequencedFleet}: one QoS 1 subscriber directly on each broker (the
 * brokers are not clustered, so a message is only seen on the broker its publisher landed on). Counts
 * the sequence numbers each publisher's messages arrived with, to find lost and duplicated ones.
 */
public final class DeliveryLedger implements AutoCloseable {

  private final Map<String, Received> byClient = new ConcurrentHashMap<>();
  private final List<Mqtt5AsyncClient> subscribers = new ArrayList<>();

  private DeliveryLedger() {}

  /** Subscribes to {@code topicPrefix/#} on every broker; topics are {@code topicPrefix/<client id>}. */
  public static DeliveryLedger subscribe(List<EmbeddedBroker> brokers, String topicPrefix) {
    DeliveryLedger ledger = new DeliveryLedger();
    int skip = topicPrefix.length() + 1;
    try {
      for (EmbeddedBroker b : brokers) {
        Mqtt5AsyncClient s = MqttClient.builder().useMqttVersion5()
            .identifier("ledger-" + topicPrefix.replace('/', '-') + "-" + b.name())
            .serverHost(b.host()).serverPort(b.port()).buildAsync();
        ledger.subscribers.add(s);
        s.publishes(MqttGlobalPublishFilter.ALL, p -> ledger.record(p.getTopic().toString().substring(skip),
            Long.parseLong(new String(p.getPayloadAsBytes(), StandardCharsets.US_ASCII))));
        s.connect().orTimeout(10, TimeUnit.SECONDS).join();
        s.subscribeWith().topicFilter(topicPrefix + "/#").qos(MqttQos.AT_LEAST_ONCE).send()
            .orTimeout(10, TimeUnit.SECONDS).join();
      }
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
    return ledger;
  }

  private void record(String clientId, long seq) {
    byClient.computeIfAbsent(clientId, id -> new Received()).add(seq);
  }

  /** Messages numbered 1..published[client] that have not arrived (yet). */
  public long missing(Map<String, Long> published) {
    long missing = 0;
    for (Map.Entry<String, Long> e : published.entrySet()) {
      Received r = byClient.get(e.getKey());
      missing += e.getValue() - (r == null ? 0 : r.distinctUpTo(e.getValue()));
    }
    return missing;
  }

  /** Messages that arrived more than once (allowed with QoS 1). */
  public long duplicates() {
    return byClient.values().stream().mapToLong(Received::duplicates).sum();
  }

  public long received() {
    return byClient.values().stream().mapToLong(Received::total).sum();
  }

  /** Subscribers that are not connected to their broker any more (each misses that broker's messages). */
  public long subscribersDisconnected() {
    return subscribers.stream().filter(s -> !s.getState().isConnected()).count();
  }

  @Override
  public void close() {
    CompletableFuture.allOf(subscribers.stream().map(s -> s.disconnect().exceptionally(e -> null))
            .toArray(CompletableFuture[]::new))
        .orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }

  /** One publisher's arrivals. */
  private static final class Received {
    private final BitSet seen = new BitSet();
    private long total;
    private long duplicates;

    synchronized void add(long seq) {
      total++;
      if (seen.get((int) seq)) {
        duplicates++;
      } else {
        seen.set((int) seq);
      }
    }

    synchronized long distinctUpTo(long last) {
      return seen.get(1, (int) last + 1).cardinality();
    }

    synchronized long duplicates() {
      return duplicates;
    }

    synchronized long total() {
      return total;
    }
  }
}
