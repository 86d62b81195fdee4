package io.bastion.backend;

import io.bastion.config.BastionConfig;
import io.bastion.config.PoolConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** All pools of one Bastion node and the health probes that watch their brokers. */
public final class Backends implements AutoCloseable {

  private final Map<String, BrokerPool> pools = new LinkedHashMap<>();
  private final List<HealthProbe> probes = new ArrayList<>();

  public Backends(
      BastionConfig config,
      EventLoopGroup probeGroup,
      Class<? extends SocketChannel> channelClass,
      String nodeId) {
    for (PoolConfig pc : config.pools()) {
      BrokerPool pool = new BrokerPool(pc);
      pools.put(pc.name(), pool);
      if (pc.health().enabled()) {
        for (Broker b : pool.brokers()) {
          String probeId = "bastion-probe-" + nodeId + "-" + b.id();
          probes.add(new HealthProbe(b, pc.health(), probeGroup, channelClass, probeId));
        }
      }
    }
  }

  public void startProbes() {
    probes.forEach(HealthProbe::start);
  }

  public BrokerPool pool(String name) {
    return pools.get(name);
  }

  public List<BrokerPool> pools() {
    return List.copyOf(pools.values());
  }

  @Override
  public void close() {
    probes.forEach(HealthProbe::stop);
  }
}
