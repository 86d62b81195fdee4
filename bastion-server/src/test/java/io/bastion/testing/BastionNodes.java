package io.bastion.testing;

import io.bastion.demo.EmbeddedBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Several Bastion processes in front of the same brokers, node {@code i} on 127.0.0.{@code i+2}
 * (loopback aliases, no setup needed on Linux). Every node listens on the same MQTT port and the same
 * admin port of its own address, as nodes behind DNS round robin do. Everything started stops on
 * {@link #close()}.
 */
public final class BastionNodes implements AutoCloseable {

  public static final String POOL = "brokers";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  /** Three nodes and the test JVM share two cores here: one event loop each, a bounded heap. */
  private static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dbastion.io-threads=1");

  private final List<BastionProcess> nodes = new ArrayList<>();
  private final List<String> hosts;
  private final int mqttPort;
  private final int adminPort;
  private final Path dir;

  private BastionNodes(List<String> hosts, int mqttPort, int adminPort, Path dir) {
    this.hosts = hosts;
    this.mqttPort = mqttPort;
    this.adminPort = adminPort;
    this.dir = dir;
  }

  /**
   * Starts {@code count} nodes on 127.0.0.2, 127.0.0.3, … in parallel and waits until each is ready.
   * {@code extraYaml} gives node {@code i} YAML appended to its configuration (e.g. a {@code cluster:}
   * section), or "".
   */
  public static BastionNodes start(int count, List<EmbeddedBroker> brokers, IntFunction<String> extraYaml)
      throws IOException {
    return start(hosts(2, count), brokers, extraYaml);
  }

  /** As {@link #start(int, List, IntFunction)}, one node on each of {@code hosts}. */
  public static BastionNodes start(List<String> hosts, List<EmbeddedBroker> brokers, IntFunction<String> extraYaml)
      throws IOException {
    int count = hosts.size();
    int[] ports = freePortsOnAll(hosts, 2);
    BastionNodes n = new BastionNodes(List.copyOf(hosts), ports[0], ports[1], Files.createTempDirectory("bastion-nodes"));
    // kept beside the jar, so a failed run can be read afterwards
    Path logs = Files.createDirectories(BastionProcess.jar().getParent().resolve("bastion-nodes")
        .resolve(java.time.LocalTime.now().toString().replace(':', '-')));
    try {
      for (int i = 0; i < count; i++) {
        Path config = n.dir.resolve("node-" + (i + 1) + ".yaml");
        Files.writeString(config, n.configYaml(i, brokers) + extraYaml.apply(i), StandardCharsets.UTF_8);
        n.nodes.add(BastionProcess.launch(new BastionProcess.Launch(config,
            new InetSocketAddress(hosts.get(i), n.mqttPort), new InetSocketAddress(hosts.get(i), n.adminPort),
            JVM_OPTIONS, logs.resolve("bastion-" + hosts.get(i) + ".log"))));
      }
      for (BastionProcess p : n.nodes) {
        p.awaitReadyOrClose(READY_TIMEOUT);
      }
    } catch (IOException | RuntimeException | Error e) {
      n.close();
      throw e;
    }
    return n;
  }

  private String configYaml(int node, List<EmbeddedBroker> brokers) {
    StringBuilder y = new StringBuilder();
    y.append("listeners:\n  - name: mqtt\n    bind: ").append(hosts.get(node)).append("\n    port: ").append(mqttPort)
        .append("\npools:\n  - name: ").append(POOL).append("\n    strategy: client-id-hash\n")
        .append("    brokers:\n");
    for (EmbeddedBroker b : brokers) {
      y.append("      - id: ").append(b.name()).append("\n        host: ").append(b.host())
          .append("\n        port: ").append(b.port()).append('\n');
    }
    y.append("shutdown:\n  drain-deadline: 1s\n");
    y.append("admin:\n  bind: ").append(hosts.get(node)).append("\n  port: ").append(adminPort).append('\n');
    return y.toString();
  }

  /** {@code count} loopback addresses from 127.0.0.{@code firstOctet} on. */
  public static List<String> hosts(int firstOctet, int count) {
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      hosts.add("127.0.0." + (firstOctet + i));
    }
    return List.copyOf(hosts);
  }

  /** {@code count} distinct ports that were free on every one of {@code hosts} a moment ago. */
  public static int[] freePortsOnAll(List<String> hosts, int count) throws IOException {
    int[] ports = new int[count];
    int found = 0;
    for (int attempt = 0; attempt < 200 && found < count; attempt++) {
      int candidate = Ports.freePort();
      boolean taken = false;
      for (int i = 0; i < found; i++) {
        taken |= ports[i] == candidate;
      }
      if (!taken && freeOnAll(hosts, candidate)) {
        ports[found++] = candidate;
      }
    }
    if (found < count) {
      throw new IOException("no port free on all of " + hosts);
    }
    return ports;
  }

  private static boolean freeOnAll(List<String> hosts, int port) {
    for (String host : hosts) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  public List<String> hosts() {
    return hosts;
  }

  public int size() {
    return nodes.size();
  }

  public BastionProcess node(int index) {
    return nodes.get(index);
  }

  /** The MQTT address of every node, in node order: what DNS round robin would hand out. */
  public List<InetSocketAddress> mqttAddresses() {
    return hosts.stream().map(h -> new InetSocketAddress(h, mqttPort)).toList();
  }

  public int mqttPort() {
    return mqttPort;
  }

  /** SIGKILL of node {@code index}. */
  public void kill(int index) throws InterruptedException {
    nodes.get(index).kill();
  }

  /** SIGTERM of node {@code index} and waits for its graceful shutdown. */
  public void terminate(int index) throws InterruptedException {
    nodes.get(index).terminateAndWait(Duration.ofSeconds(30));
  }

  /** Starts node {@code index} again (after kill or terminate) and waits until it is ready. */
  public BastionProcess restart(int index) throws IOException {
    BastionProcess old = nodes.get(index);
    BastionProcess fresh = old.restart();
    old.close();
    nodes.set(index, fresh);
    return fresh.awaitReadyOrClose(READY_TIMEOUT);
  }

  /** Brings every node back to running: resumes paused ones, restarts dead ones. */
  public void ensureAllRunning() throws IOException, InterruptedException {
    for (int i = 0; i < nodes.size(); i++) {
      BastionProcess p = nodes.get(i);
      if (p.isPaused()) {
        p.resume();
      }
      if (!p.isAlive()) {
        restart(i);
      }
    }
  }

  @Override
  public void close() {
    // all nodes shut down at the same time, then each is waited for
    for (BastionProcess p : nodes) {
      try {
        if (p.isPaused()) {
          p.resume();
        }
        p.terminate();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException | RuntimeException e) {
        // close() below insists
      }
    }
    for (BastionProcess p : nodes) {
      try {
        p.close();
      } catch (IOException | RuntimeException e) {
        // the shutdown hook kills what is left; go on with the others
      }
    }
    nodes.clear();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files only
    }
  }
}
