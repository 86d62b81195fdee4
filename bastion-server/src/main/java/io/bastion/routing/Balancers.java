package io.bastion.routing;

import io.bastion.config.PoolConfig;

/** Builds the balancer a pool's configuration asks for. */
public final class Balancers {

  private Balancers() {}

  public static Balancer forPool(PoolConfig pool) {
    return switch (pool.strategy()) {
      case CLIENT_ID_HASH ->
          new RendezvousBalancer(pool.loadFactor(), pool.boundedLoadMinAverage());
      case LEAST_CONNECTIONS -> new LeastConnectionsBalancer();
      case ROUND_ROBIN -> new RoundRobinBalancer();
    };
  }
}
