package io.bastion;

import io.bastion.backend.Backends;
import io.bastion.backend.BrokerDialer;
import io.bastion.config.BastionConfig;
import io.bastion.config.ListenerConfig;
import io.bastion.frontend.Listener;
import io.bastion.frontend.ProxyServices;
import io.bastion.relay.SessionRegistry;
import io.bastion.relay.TrafficStats;
import io.bastion.routing.Router;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Bastion node: the object graph built from a configuration, and its lifecycle. */
public final class Bastion implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Bastion.class);

  private final BastionConfig config;
  private final String nodeId;
  private final Transport transport;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final EventLoopGroup probes;
  private final Backends backends;
  private final SessionRegistry sessions = new SessionRegistry();
  private final TrafficStats traffic = new TrafficStats();
  private final List<Listener> listeners = new ArrayList<>();
  private volatile boolean closed;

  private Bastion(BastionConfig config) {
    this.config = config;
    this.nodeId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.transport = Transport.detectAndLog();
    this.boss = transport.newGroup(1, "bastion-accept");
    this.workers = transport.newGroup(0, "bastion-io");
    this.probes = transport.newGroup(1, "bastion-health");
    this.backends = new Backends(config, probes, transport.clientChannel(), nodeId);
  }

  /** Builds the node, starts health probes and binds every listener. */
  public static Bastion start(BastionConfig config) throws InterruptedException {
    Bastion bastion = new Bastion(config);
    try {
      bastion.backends.startProbes();
      ProxyServices services =
          new ProxyServices(
              new Router(config),
              bastion.backends,
              new BrokerDialer(bastion.transport.clientChannel()),
              bastion.sessions,
              bastion.traffic);
      for (ListenerConfig lc : config.listeners()) {
        bastion.listeners.add(
            Listener.bind(lc, services, bastion.transport, bastion.boss, bastion.workers));
      }
    } catch (InterruptedException | RuntimeException e) {
      bastion.close();
      throw e;
    }
    LOG.info("bastion node {} started: {} listener(s), {} pool(s)",
        bastion.nodeId, config.listeners().size(), config.pools().size());
    return bastion;
  }

  public BastionConfig config() {
    return config;
  }

  public SessionRegistry sessions() {
    return sessions;
  }

  public TrafficStats traffic() {
    return traffic;
  }

  public Backends backends() {
    return backends;
  }

  public List<Listener> listeners() {
    return List.copyOf(listeners);
  }

  /** The bound port of a listener (useful with port 0). */
  public int port(String listenerName) {
    return listeners.stream()
        .filter(l -> l.name().equals(listenerName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no listener " + listenerName))
        .port();
  }

  /**
   * Graceful stop: listeners stop accepting at once, sessions are ended spread over {@code
   * deadline}, then everything is released.
   */
  public void shutdown(Duration deadline) {
    if (closed) {
      return;
    }
    listeners.forEach(Listener::close);
    int open = sessions.size();
    LOG.info("stopping: no new connections; draining {} session(s) within {}", open, deadline);
    try {
      sessions.drain(deadline, workers).get(deadline.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("{} session(s) still open after the drain deadline; closing them", sessions.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("drain failed", e);
    }
    close();
  }

  /** Immediate stop: every connection is closed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    listeners.forEach(Listener::close);
    backends.close();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    probes.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    boss.terminationFuture().syncUninterruptibly();
    workers.terminationFuture().syncUninterruptibly();
    probes.terminationFuture().syncUninterruptibly();
    LOG.info("bastion node {} stopped", nodeId);
  }
}
