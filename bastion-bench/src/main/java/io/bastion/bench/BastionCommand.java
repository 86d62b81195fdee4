package io.bastion.bench;

import io.bastion.Bastion;
import io.bastion.config.BastionConfig;
import io.bastion.config.BrokerConfig;
import io.bastion.config.HealthConfig;
import io.bastion.config.ListenerConfig;
import io.bastion.config.PoolConfig;
import io.bastion.config.ShutdownConfig;
import io.bastion.config.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a Bastion node configured from the command line, with the defaults of {@code bastion run}:
 * one plain TCP listener, one {@code client-id-hash} pool. For a machine whose {@code bastion.jar}
 * cannot load YAML; {@code bench/compare.sh} prefers {@code bastion.jar run --config}.
 */
@Command(name = "bastion", mixinStandardHelpOptions = true,
    description = "Run Bastion in front of the given brokers until SIGTERM (client-id-hash).")
final class BastionCommand implements Callable<Integer> {

  @Option(names = "--listen", defaultValue = "127.0.0.1:1883", paramLabel = "HOST:PORT",
      description = "Default: ${DEFAULT-VALUE}")
  String listen;

  @Option(names = "--broker", required = true, split = ",", paramLabel = "ID=HOST:PORT",
      description = "the pool's brokers")
  List<String> brokers;

  @Override
  public Integer call() throws Exception {
    int colon = listen.lastIndexOf(':');
    ListenerConfig listener =
        new ListenerConfig("mqtt", listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)),
            ListenerConfig.DEFAULT_CONNECT_TIMEOUT, ListenerConfig.DEFAULT_MAX_PACKET_SIZE);
    List<BrokerConfig> backends = new ArrayList<>();
    for (String b : brokers) {
      int eq = b.indexOf('=');
      int c = b.lastIndexOf(':');
      backends.add(new BrokerConfig(b.substring(0, eq), b.substring(eq + 1, c),
          Integer.parseInt(b.substring(c + 1)), 1));
    }
    PoolConfig pool =
        new PoolConfig("brokers", Strategy.CLIENT_ID_HASH, PoolConfig.DEFAULT_LOAD_FACTOR,
            PoolConfig.DEFAULT_BOUNDED_LOAD_MIN_CONNECTIONS, backends, HealthConfig.DEFAULT,
            PoolConfig.DEFAULT_CONNECT_TIMEOUT, PoolConfig.DEFAULT_EJECT_AFTER_FAILURES,
            PoolConfig.DEFAULT_EJECT_FOR);
    BastionConfig config =
        new BastionConfig(List.of(listener), List.of(pool), List.of(),
            new ShutdownConfig(Duration.ofSeconds(1)));
    Bastion bastion = Bastion.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      bastion.shutdown(config.shutdown().drainDeadline());
      stopped.countDown();
    }, "bench-bastion-shutdown"));
    stopped.await();
    return 0;
  }
}
