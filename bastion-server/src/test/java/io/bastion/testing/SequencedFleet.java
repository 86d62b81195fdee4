package io.bastion.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Devices with persistent MQTT 5 sessions (clean start off, long session expiry) that publish QoS 1
 * messages numbered 1, 2, 3… to {@code <prefix>/<client id>} through a set of Bastion nodes. Client
 * {@code i} starts on node {@code i mod n}; when its connection ends it reconnects after a short
 * random delay to the address a round-robin DNS answer would list first (the answers rotate from one
 * query to the next), or to the one after when that is the node it just lost. Every connection is
 * recorded with its node, time and whether the session was present. Each device connects from its
 * own source address ({@link SourceAddresses}), as devices of a real fleet do.
 */
public final class SequencedFleet implements AutoCloseable {

  private static final int TICK_MILLIS = 50;
  /** Devices start at this pace, as a fleet powering up does, not all in one millisecond. */
  private static final int CONNECTS_PER_TICK = 10;
  private static final long SESSION_EXPIRY_SECONDS = 3600;

  private final List<InetSocketAddress> nodes;
  private final List<Device> devices = new ArrayList<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "fleet-publisher"));
  private final AtomicLong ticks = new AtomicLong();
  /** The rotation of the node addresses in successive DNS answers. */
  private final AtomicInteger resolver = new AtomicInteger();
  private volatile ScheduledFuture<?> publishing;
  private volatile boolean closing;

  /** How the devices behave: keep-alive (how soon a hung node is noticed) and reconnect delay. */
  public record Behaviour(int keepAliveSeconds, Duration connectTimeout, Duration reconnectDelayMin,
      Duration reconnectDelayMax) {

    public static final Behaviour DEFAULT =
        new Behaviour(2, Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(250));
  }

  /** One connection a device made: through which node, when, and whether its session was there. */
  public record Connection(int node, long atNanos, boolean sessionPresent) {}

  private SequencedFleet(List<InetSocketAddress> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** Creates {@code size} devices named {@code prefix-0…} and starts connecting them, 200 a second. */
  public static SequencedFleet connect(String prefix, int size, List<InetSocketAddress> nodes, Behaviour behaviour) {
    SequencedFleet fleet = new SequencedFleet(nodes);
    for (int i = 0; i < size; i++) {
      fleet.devices.add(fleet.new Device(prefix, prefix + "-" + i, i % nodes.size(),
          SourceAddresses.of(SourceAddresses.DEVICES, i), behaviour));
    }
    for (int from = 0; from < size; from += CONNECTS_PER_TICK) {
      List<Device> batch = fleet.devices.subList(from, Math.min(size, from + CONNECTS_PER_TICK));
      fleet.ticker.schedule(() -> batch.forEach(Device::connect), (long) from / CONNECTS_PER_TICK * TICK_MILLIS,
          TimeUnit.MILLISECONDS);
    }
    return fleet;
  }

  /** Each device publishes {@code perSecond} messages a second, spread evenly over time. */
  public void startPublishing(double perSecond) {
    int slots = Math.max(1, (int) Math.round(1000 / perSecond / TICK_MILLIS));
    publishing = ticker.scheduleAtFixedRate(() -> {
      long tick = ticks.getAndIncrement();
      for (int i = 0; i < devices.size(); i++) {
        if (i % slots == tick % slots) {
          devices.get(i).publishNext();
        }
      }
    }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Stops issuing new messages; those in flight go on until acknowledged. */
  public void stopPublishing() throws InterruptedException {
    ScheduledFuture<?> p = publishing;
    if (p != null) {
      p.cancel(false);
      // a tick that is running finishes, so no publish starts after this returns
      ticker.shutdown();
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  public List<Device> devices() {
    return devices;
  }

  public boolean allConnected() {
    return devices.stream().allMatch(d -> d.client.getState().isConnected());
  }

  /** Messages in flight: issued and neither acknowledged nor failed yet. */
  public long inFlight() {
    return devices.stream().mapToLong(d -> d.inFlight.get()).sum();
  }

  public long acknowledged() {
    return devices.stream().mapToLong(d -> d.acked.get()).sum();
  }

  /** Publishes that ended in an error (no PUBACK, or a PUBACK with an error reason). */
  public long failed() {
    return devices.stream().mapToLong(d -> d.failed.get()).sum();
  }

  /** Highest sequence number issued per client id. */
  public Map<String, Long> published() {
    Map<String, Long> m = new HashMap<>();
    devices.forEach(d -> m.put(d.id, d.seq.get()));
    return m;
  }

  /** Reconnections after the first connection that did not find their session. */
  public long reconnectsWithoutSession() {
    return devices.stream().mapToLong(d -> {
      List<Connection> cs = d.connections();
      return cs.stream().skip(1).filter(c -> !c.sessionPresent()).count();
    }).sum();
  }

  /** Devices that were connected through {@code node} at {@code atNanos}. */
  public List<Device> connectedThrough(int node, long atNanos) {
    return devices.stream().filter(d -> {
      Connection c = d.connectionAt(atNanos);
      return c != null && c.node() == node;
    }).toList();
  }

  /** For each device given: time from {@code sinceNanos} to its first connection after it. */
  public static List<Long> reconnectTimes(List<Device> affected, long sinceNanos) {
    List<Long> times = new ArrayList<>();
    for (Device d : affected) {
      Connection c = d.firstConnectionAfter(sinceNanos);
      if (c != null) {
        times.add(c.atNanos() - sinceNanos);
      }
    }
    return times;
  }

  public static boolean allReconnectedAfter(List<Device> affected, long sinceNanos) {
    return affected.stream().allMatch(d -> d.firstConnectionAfter(sinceNanos) != null);
  }

  @Override
  public void close() {
    closing = true;
    ticker.shutdownNow();
    CompletableFuture.allOf(devices.stream().map(d -> d.client.disconnect().exceptionally(e -> null))
            .toArray(CompletableFuture[]::new))
        .orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }

  /** One device: an MQTT 5 client with its sequence counter and connection history. */
  public final class Device {

    private final String id;
    private final String topic;
    private final Mqtt5AsyncClient client;
    private final Behaviour behaviour;
    private final java.net.InetAddress source;
    private final AtomicInteger node;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final List<Connection> connections = new ArrayList<>();

    Device(String prefix, String id, int firstNode, java.net.InetAddress source, Behaviour behaviour) {
      this.id = id;
      this.source = source;
      this.topic = prefix + "/" + id;
      this.behaviour = behaviour;
      this.node = new AtomicInteger(firstNode);
      this.client = MqttClient.builder().useMqttVersion5().identifier(id)
          .transportConfig(transport(firstNode))
          .addConnectedListener(ctx -> connected((Mqtt5ClientConnectedContext) ctx))
          .addDisconnectedListener(this::disconnected)
          .buildAsync();
    }

    private com.hivemq.client.mqtt.MqttClientTransportConfig transport(int nodeIndex) {
      return com.hivemq.client.mqtt.MqttClientTransportConfig.builder()
          .serverAddress(nodes.get(nodeIndex))
          .localAddress(source)
          .socketConnectTimeout(behaviour.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .mqttConnectTimeout(behaviour.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .build();
    }

    void connect() {
      client.connectWith().cleanStart(false).sessionExpiryInterval(SESSION_EXPIRY_SECONDS)
          .keepAlive(behaviour.keepAliveSeconds()).send();
    }

    private void connected(Mqtt5ClientConnectedContext ctx) {
      // the client's config keeps reporting the first address; the node is the one last dialled
      synchronized (connections) {
        connections.add(new Connection(node.get(), System.nanoTime(),
            ctx.getConnAck().isSessionPresent()));
      }
    }

    private void disconnected(MqttClientDisconnectedContext ctx) {
      if (closing) {
        return;
      }
      int lost = node.get();
      int first = Math.floorMod(resolver.getAndIncrement(), nodes.size());
      int next = first == lost ? (first + 1) % nodes.size() : first;
      node.set(next);
      long delay = ThreadLocalRandom.current().nextLong(behaviour.reconnectDelayMin().toMillis(),
          behaviour.reconnectDelayMax().toMillis() + 1);
      ctx.getReconnector().reconnect(true).delay(delay, TimeUnit.MILLISECONDS).transportConfig(transport(next));
    }

    void publishNext() {
      long n = seq.incrementAndGet();
      inFlight.incrementAndGet();
      client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
          .payload(Long.toString(n).getBytes(StandardCharsets.US_ASCII)).send()
          .whenComplete((result, error) -> {
            if (error != null || result.getError().isPresent()) {
              failed.incrementAndGet();
            } else {
              acked.incrementAndGet();
            }
            inFlight.decrementAndGet();
          });
    }

    public String id() {
      return id;
    }

    public long acknowledged() {
      return acked.get();
    }

    public List<Connection> connections() {
      synchronized (connections) {
        return List.copyOf(connections);
      }
    }

    /** The connection that was current at {@code atNanos}: the last one made before it. */
    Connection connectionAt(long atNanos) {
      Connection current = null;
      for (Connection c : connections()) {
        if (c.atNanos() <= atNanos) {
          current = c;
        }
      }
      return current;
    }

    Connection firstConnectionAfter(long atNanos) {
      for (Connection c : connections()) {
        if (c.atNanos() > atNanos) {
          return c;
        }
      }
      return null;
    }
  }
}
