package io.bastion.routing;

import java.util.List;

/**
 * Orders a pool's available brokers for one new session: the session goes to the first that
 * accepts, the rest are failover in that order.
 */
public interface Balancer {

  <T extends Target> List<T> order(String clientId, List<T> available);
}
