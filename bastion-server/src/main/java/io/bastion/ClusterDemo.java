package io.bastion;

import io.bastion.config.BastionConfig;
import io.bastion.config.ClusterConfig;
import io.bastion.config.ListenerConfig;
import io.bastion.demo.EmbeddedBroker;
import io.bastion.demo.SimulatedFleet;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code demo --cluster N}: N clustered Bastion nodes on 127.0.0.2, 127.0.0.3, … in front of the
 * demo brokers, simulated devices spread over them as DNS round robin would, and a console to stop
 * and start nodes and watch their clients come back through the others.
 */
final class ClusterDemo {

  static final int CLUSTER_PORT = 5701;

  private final List<EmbeddedBroker> brokers;
  private final int port;
  private final int adminPort;
  private final Bastion[] nodes;
  private final BastionConfig[] configs;

  ClusterDemo(List<EmbeddedBroker> brokers, int count, int port, int adminPort) {
    this.brokers = brokers;
    this.port = port;
    this.adminPort = adminPort;
    this.nodes = new Bastion[count];
    this.configs = new BastionConfig[count];
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      seeds.add(host(i) + ":" + CLUSTER_PORT);
    }
    for (int i = 0; i < count; i++) {
      BastionConfig base = DemoCommand.config(brokers, port, adminPort + i);
      ListenerConfig l = base.listeners().get(0);
      ListenerConfig onNode = new ListenerConfig(l.name(), host(i), port, l.connectTimeout(), l.maxPacketSize());
      configs[i] = new BastionConfig(List.of(onNode), base.pools(), base.rules(), base.shutdown(),
          base.admin(), base.security(), base.detection(),
          ClusterConfig.of("bastion-demo", host(i), CLUSTER_PORT, seeds));
    }
  }

  static String host(int index) {
    return "127.0.0." + (index + 2);
  }

  void startAll() throws InterruptedException {
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = Bastion.start(configs[i]);
    }
  }

  List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      out.add(InetSocketAddress.createUnresolved(host(i), port));
    }
    return out;
  }

  void printWelcome(int devices) {
    System.out.println();
    System.out.println("Bastion cluster demo is running.");
    for (EmbeddedBroker b : brokers) {
      System.out.println("  broker " + b.name() + " (HiveMQ CE) on 127.0.0.1:" + b.port());
    }
    for (int i = 0; i < nodes.length; i++) {
      System.out.println("  node " + (i + 1) + ": MQTT " + host(i) + ":" + port + ", dashboard http://127.0.0.1:"
          + (adminPort + i) + "/, cluster port " + host(i) + ":" + CLUSTER_PORT);
    }
    if (devices > 0) {
      System.out.println("  " + devices + " simulated devices spread over the nodes (as DNS round robin would)");
    }
    System.out.println();
    System.out.println("Type 'stop N' to stop node N (its devices reconnect through the others and land on");
    System.out.println("the same broker), 'start N' to bring it back, 'status' for the members. Ctrl-C ends all.");
    System.out.println("  curl -s http://127.0.0.1:" + adminPort + "/api/cluster");
    System.out.println("  curl -s -XPOST http://127.0.0.1:" + adminPort
        + "/api/blocklist -d '{\"client-id\":\"demo-device-01\"}'   # refused on every node");
    System.out.println();
  }

  /** Reads commands until the input ends (or the JVM is stopped). */
  void console() {
    Thread t = new Thread(() -> {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      try {
        for (String line; (line = in.readLine()) != null; ) {
          command(line.trim());
        }
      } catch (IOException e) {
        // stdin closed: the demo keeps running until Ctrl-C
      }
    }, "demo-console");
    t.setDaemon(true);
    t.start();
  }

  private synchronized void command(String line) {
    String[] w = line.split("\\s+");
    try {
      if (w[0].equals("status")) {
        for (int i = 0; i < nodes.length; i++) {
          Bastion n = nodes[i];
          System.out.println("node " + (i + 1) + ": " + (n == null ? "stopped"
              : n.cluster().liveNodes() + " member(s), " + n.sessions().size() + " session(s)"));
        }
      } else if (w.length == 2 && (w[0].equals("stop") || w[0].equals("start"))) {
        int i = Integer.parseInt(w[1]) - 1;
        if (i < 0 || i >= nodes.length) {
          System.out.println("nodes are numbered 1 to " + nodes.length);
        } else if (w[0].equals("stop") && nodes[i] != null) {
          nodes[i].close(); // abrupt: connections drop, the way a crash looks to clients
          nodes[i] = null;
          System.out.println("node " + (i + 1) + " stopped; its devices reconnect through the others");
        } else if (w[0].equals("start") && nodes[i] == null) {
          nodes[i] = Bastion.start(configs[i]);
          System.out.println("node " + (i + 1) + " started; it joins the cluster in the background");
        }
      } else if (!line.isEmpty()) {
        System.out.println("commands: stop N, start N, status");
      }
    } catch (NumberFormatException | InterruptedException e) {
      System.out.println("commands: stop N, start N, status");
    }
  }

  synchronized void stop() {
    for (Bastion n : nodes) {
      if (n != null) {
        n.shutdown(Duration.ofSeconds(2));
      }
    }
  }

  static SimulatedFleet fleet(EventLoopGroup group, List<InetSocketAddress> addresses) {
    return new SimulatedFleet(group, Transport.detect().clientChannel(), addresses);
  }
}
