package io.bastion;

import io.bastion.backend.Broker;
import io.bastion.backend.BrokerPool;
import io.bastion.config.AdminConfig;
import io.bastion.config.BastionConfig;
import io.bastion.config.BrokerConfig;
import io.bastion.config.HealthConfig;
import io.bastion.config.ListenerConfig;
import io.bastion.config.PoolConfig;
import io.bastion.config.ShutdownConfig;
import io.bastion.config.Strategy;
import io.bastion.demo.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.netty.channel.EventLoopGroup;
import io.bastion.demo.SimulatedFleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Three real brokers in-process with Bastion in front: no configuration needed. */
@Command(name = "demo", description = "Start three embedded HiveMQ brokers with Bastion in front of them.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "1883", description = "Bastion's MQTT port (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--brokers", defaultValue = "3", description = "how many brokers (default ${DEFAULT-VALUE})")
  int brokerCount;

  @Option(names = "--devices", defaultValue = "12",
      description = "simulated devices publishing through Bastion (default ${DEFAULT-VALUE}; 0 for none)")
  int devices;

  @Option(names = "--admin-port", defaultValue = "8088", description = "dashboard and admin API port (default ${DEFAULT-VALUE})")
  int adminPort;

  @Option(names = "--cluster", defaultValue = "0", paramLabel = "N",
      description = "run N clustered Bastion nodes on 127.0.0.2, 127.0.0.3, ... (admin ports from --admin-port up)")
  int clusterNodes;

  @Override
  public Integer call() throws Exception {
    if (clusterNodes > 0) {
      return callCluster();
    }
    Path dir = Files.createTempDirectory("bastion-demo");
    List<EmbeddedBroker> brokers = new ArrayList<>();
    Bastion bastion = null;
    try {
      for (int i = 1; i <= brokerCount; i++) {
        brokers.add(EmbeddedBroker.start("broker-" + i, dir, 0));
      }
      bastion = Bastion.start(config(brokers, port, adminPort));
    } catch (Exception e) {
      stop(null, brokers);
      throw e;
    }
    EventLoopGroup fleetGroup = Transport.detect().newGroup(1, "demo-fleet");
    SimulatedFleet fleet = new SimulatedFleet(fleetGroup, Transport.detect().clientChannel(), "127.0.0.1", port);
    if (devices > 0) {
      fleet.start(devices, 500);
    }
    printWelcome(brokers, bastion);
    Bastion running = bastion;
    RunCommand.awaitShutdown(() -> {
      fleet.close();
      fleetGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      stop(running, brokers);
    });
    return 0;
  }

  private Integer callCluster() throws Exception {
    if (clusterNodes > 9) {
      System.err.println("--cluster: at most 9 nodes (127.0.0.2 to 127.0.0.10)");
      return 2;
    }
    Path dir = Files.createTempDirectory("bastion-demo");
    List<EmbeddedBroker> brokers = new ArrayList<>();
    ClusterDemo demo;
    try {
      for (int i = 1; i <= brokerCount; i++) {
        brokers.add(EmbeddedBroker.start("broker-" + i, dir, 0));
      }
      demo = new ClusterDemo(brokers, clusterNodes, port, adminPort);
      demo.startAll();
    } catch (Exception e) {
      stop(null, brokers);
      throw e;
    }
    EventLoopGroup fleetGroup = Transport.detect().newGroup(1, "demo-fleet");
    SimulatedFleet fleet = ClusterDemo.fleet(fleetGroup, demo.addresses());
    if (devices > 0) {
      fleet.start(devices, 500);
    }
    demo.printWelcome(devices);
    demo.console();
    RunCommand.awaitShutdown(() -> {
      fleet.close();
      fleetGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      demo.stop();
      stop(null, brokers);
    });
    return 0;
  }

  static BastionConfig config(List<EmbeddedBroker> brokers, int port, int adminPort) {
    List<BrokerConfig> backends =
        brokers.stream()
            .map(b -> new BrokerConfig(b.name(), EmbeddedBroker.HOST, b.port(), 1))
            .toList();
    PoolConfig pool =
        new PoolConfig("demo", Strategy.CLIENT_ID_HASH, PoolConfig.DEFAULT_LOAD_FACTOR,
            PoolConfig.DEFAULT_BOUNDED_LOAD_MIN_AVERAGE, backends,
            new HealthConfig(true, Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 2),
            PoolConfig.DEFAULT_CONNECT_TIMEOUT, PoolConfig.DEFAULT_EJECT_AFTER_FAILURES,
            PoolConfig.DEFAULT_EJECT_FOR);
    ListenerConfig listener =
        new ListenerConfig("mqtt", "127.0.0.1", port, ListenerConfig.DEFAULT_CONNECT_TIMEOUT,
            ListenerConfig.DEFAULT_MAX_PACKET_SIZE);
    return new BastionConfig(List.of(listener), List.of(pool), List.of(),
        new ShutdownConfig(Duration.ofSeconds(2)),
        new AdminConfig(true, "127.0.0.1", adminPort, null, 5));
  }

  /**
   * HiveMQ CE brokers are not clustered, so a subscriber only hears publishers on its own broker:
   * the demo suggests a publisher id that hashes to the subscriber's broker.
   */
  private static String publisherBesides(Bastion bastion, String subscriberId) {
    BrokerPool pool = bastion.backends().pool("demo");
    Broker home = pool.candidates(subscriberId).get(0);
    for (int i = 1; ; i++) {
      String id = "demo-pub-" + i;
      if (pool.candidates(id).get(0) == home) {
        return id;
      }
    }
  }

  private void printWelcome(List<EmbeddedBroker> brokers, Bastion bastion) {
    String sub = "demo-sub";
    String pub = publisherBesides(bastion, sub);
    System.out.println();
    System.out.println("Bastion demo is running.");
    for (EmbeddedBroker b : brokers) {
      System.out.println("  broker " + b.name() + " (HiveMQ CE) on 127.0.0.1:" + b.port());
    }
    System.out.println("  Bastion on 127.0.0.1:" + port + ", routing by client id");
    System.out.println("  Dashboard: http://127.0.0.1:" + bastion.adminPort() + "/"
        + (devices > 0 ? "  (" + devices + " simulated devices publishing; try Drain on a broker)" : ""));
    System.out.println("  Metrics:   http://127.0.0.1:" + bastion.adminPort() + "/metrics");
    System.out.println();
    System.out.println("Try it (Debian: apt-get install mosquitto-clients):");
    System.out.println("  mosquitto_sub -h 127.0.0.1 -p " + port + " -i " + sub + " -t 'demo/#' -v");
    System.out.println("  mosquitto_pub -h 127.0.0.1 -p " + port + " -i " + pub + " -t demo/hello -m 'hello through Bastion'");
    System.out.println("Each client id always lands on the same broker (" + sub + " and " + pub
        + " share one: the demo's brokers are not clustered). Bastion logs every session end.");
    System.out.println("Press Ctrl-C to stop everything.");
    System.out.println();
  }

  private static void stop(Bastion bastion, List<EmbeddedBroker> brokers) {
    if (bastion != null) {
      bastion.shutdown(Duration.ofSeconds(2));
    }
    CompletableFuture.allOf(brokers.stream().map(EmbeddedBroker::stopAsync).toArray(CompletableFuture[]::new))
        .join();
  }
}
