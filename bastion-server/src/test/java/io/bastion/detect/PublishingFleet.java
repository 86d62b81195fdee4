package io.bastion.detect;

import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Normal devices beside an attacker: MQTT 5 clients {@code device-N} from their own loopback
 * addresses (127.0.2.N), each publishing QoS 1 to {@code fleet/device-N} five times a second, that
 * record every failed publish and every disconnect.
 */
final class PublishingFleet implements AutoCloseable {

  final int size;
  final AtomicInteger sent = new AtomicInteger();
  final AtomicInteger acked = new AtomicInteger();
  /** Messages delivered back to the devices (only when they subscribe to their own topic). */
  final AtomicInteger received = new AtomicInteger();
  final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
  private final ScheduledExecutorService publishers = Executors.newScheduledThreadPool(2);

  private PublishingFleet(int size) {
    this.size = size;
  }

  /** Connects {@code size} devices through the proxy on {@code port} and starts them publishing. */
  static PublishingFleet start(int port, int size, boolean subscribeToOwnTopic) throws Exception {
    PublishingFleet f = new PublishingFleet(size);
    try {
      for (int i = 0; i < size; i++) {
        f.connect(port, "device-" + i, "127.0.2." + (i + 1), subscribeToOwnTopic);
      }
      f.clients.forEach(f::publishFiveTimesASecond);
    } catch (Exception e) {
      f.close();
      throw e;
    }
    return f;
  }

  private void connect(int port, String id, String localIp, boolean subscribe) throws Exception {
    Mqtt5AsyncClient c = MqttClient.builder().identifier(id).serverHost("127.0.0.1").serverPort(port)
        .transportConfig().localAddress(new InetSocketAddress(InetAddress.getByName(localIp), 0))
        .applyTransportConfig().useMqttVersion5()
        .addDisconnectedListener(ctx -> problems.add(id + " disconnected: " + ctx.getCause()))
        .buildAsync();
    c.connect().get(10, TimeUnit.SECONDS);
    if (subscribe) {
      c.subscribeWith().topicFilter("fleet/" + id).qos(MqttQos.AT_LEAST_ONCE)
          .callback(p -> received.incrementAndGet()).send().get(10, TimeUnit.SECONDS);
    }
    clients.add(c);
  }

  private void publishFiveTimesASecond(Mqtt5AsyncClient c) {
    String topic = "fleet/" + c.getConfig().getClientIdentifier().get();
    publishers.scheduleAtFixedRate(() -> {
      sent.incrementAndGet();
      c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[32]).send()
          .whenComplete((r, e) -> {
            if (e != null || r.getError().isPresent()) {
              problems.add(topic + ": " + (e != null ? e : r.getError().get()));
            } else {
              acked.incrementAndGet();
            }
          });
    }, 0, 200, TimeUnit.MILLISECONDS);
  }

  /** Stops publishing and waits until every publish sent was answered one way or the other. */
  void stopAndSettle() {
    publishers.shutdown();
    await().atMost(Duration.ofSeconds(15)).until(() -> acked.get() + problems.size() >= sent.get());
  }

  @Override
  public void close() {
    publishers.shutdownNow();
    clients.forEach(c -> c.disconnect());
  }
}
