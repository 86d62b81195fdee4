package io.bastion.hivemq;

import io.bastion.Bastion;
import io.bastion.backend.Broker;
import io.bastion.config.AdminConfig;
import io.bastion.config.BastionConfig;
import io.bastion.config.DiscoveryConfig;
import io.bastion.config.HealthConfig;
import io.bastion.config.ListenerConfig;
import io.bastion.config.PoolConfig;
import io.bastion.config.ShutdownConfig;
import io.bastion.config.Strategy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/** A Bastion on loopback whose one pool starts empty and takes broker registrations. */
final class BastionWithRegistration implements AutoCloseable {

  static final String POOL = "brokers";

  private final Bastion bastion;

  BastionWithRegistration() throws InterruptedException {
    PoolConfig pool = new PoolConfig(POOL, Strategy.CLIENT_ID_HASH, PoolConfig.DEFAULT_LOAD_FACTOR,
        PoolConfig.DEFAULT_BOUNDED_LOAD_MIN_AVERAGE, List.of(),
        new HealthConfig(true, Duration.ofSeconds(1), Duration.ofMillis(500), 1, 1),
        Duration.ofSeconds(2), 3, Duration.ofSeconds(5), false, null,
        new DiscoveryConfig(null, null,
            new DiscoveryConfig.Registration(true, Duration.ofSeconds(10))));
    BastionConfig config = new BastionConfig(
        List.of(new ListenerConfig("mqtt", "127.0.0.1", 0, ListenerConfig.DEFAULT_CONNECT_TIMEOUT,
            ListenerConfig.DEFAULT_MAX_PACKET_SIZE)),
        List.of(pool), List.of(), new ShutdownConfig(Duration.ofSeconds(1)),
        new AdminConfig(true, "127.0.0.1", 0, null, 50));
    bastion = Bastion.start(config);
  }

  int mqttPort() {
    return bastion.port("mqtt");
  }

  URI adminUrl() {
    return URI.create("http://127.0.0.1:" + bastion.adminPort());
  }

  List<Broker> brokers() {
    return bastion.backends().pool(POOL).brokers();
  }

  Broker broker(String id) {
    return bastion.backends().pool(POOL).broker(id);
  }

  /** Extension settings that point at this Bastion first, after a dead URL to show failover. */
  Properties extensionProperties(String brokerId) {
    Properties p = new Properties();
    p.setProperty("bastion-urls", "http://127.0.0.1:1," + adminUrl());
    p.setProperty("pool", POOL);
    p.setProperty("broker-id", brokerId);
    p.setProperty("advertised-host", "127.0.0.1");
    p.setProperty("capacity", "500");
    p.setProperty("renew-interval", "200ms");
    return p;
  }

  @Override
  public void close() {
    bastion.close();
  }
}
