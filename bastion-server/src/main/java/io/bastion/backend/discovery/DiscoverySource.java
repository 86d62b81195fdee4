package io.bastion.backend.discovery;

import io.bastion.backend.BrokerSource;
import io.bastion.config.BrokerConfig;
import java.util.List;
import java.util.function.Consumer;

/**
 * One source of brokers for one pool. It hands each good answer to its sink; a failed or refused
 * answer is only counted, so the last good answer stays in force.
 */
interface DiscoverySource extends AutoCloseable {

  BrokerSource kind();

  SourceStatus status();

  /** Starts refreshing; answers go to {@code sink}, off the event loops. */
  void start(Consumer<List<BrokerConfig>> sink);

  @Override
  void close();
}
