package io.bastion.hivemq;

import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import com.hivemq.extension.sdk.api.services.admin.AdminService;
import com.hivemq.extension.sdk.api.services.admin.LifecycleStage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the broker to Bastion: waits for the broker to have started successfully (its
 * listeners are bound then), registers each plain TCP listener, renews the leases with the current
 * connection count and capacity, and deregisters on {@link #stop()}.
 */
final class BrokerAnnouncer {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerAnnouncer.class);
  private static final long STAGE_POLL_MILLIS = 20;

  private final ExtensionSettings settings;
  private final AdminService admin;
  private final ConnectionCounter connections;
  private final BastionClient bastion;
  private final ScheduledExecutorService scheduler;
  private volatile List<BastionClient.Registration> registered = List.of();
  private ScheduledFuture<?> task;
  private boolean failing;

  BrokerAnnouncer(ExtensionSettings settings, AdminService admin, ConnectionCounter connections) {
    this.settings = settings;
    this.admin = admin;
    this.connections = connections;
    this.bastion = new BastionClient(settings.bastionUrls(), settings.token());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bastion-announcer");
      t.setDaemon(true);
      return t;
    });
  }

  synchronized void start() {
    task = scheduler.scheduleWithFixedDelay(this::awaitStarted, 0, STAGE_POLL_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  private synchronized void awaitStarted() {
    if (admin.getCurrentStage() != LifecycleStage.STARTED_SUCCESSFULLY) {
      return;
    }
    task.cancel(false);
    registered = registrations();
    if (registered.isEmpty()) {
      LOG.warn("no plain TCP listener to announce to Bastion");
      return;
    }
    task = scheduler.scheduleWithFixedDelay(this::renew, 0, settings.renewInterval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Registers, or renews, every listener with the current load. */
  private void renew() {
    int open = connections.open();
    for (BastionClient.Registration r : registered) {
      BastionClient.Registration now = new BastionClient.Registration(r.id(), r.host(), r.port(),
          settings.lease(), open, settings.capacity());
      try {
        bastion.register(settings.pool(), now);
        if (failing) {
          LOG.info("Bastion reachable again; broker {} registered", r.id());
          failing = false;
        }
      } catch (IOException e) {
        if (!failing) {
          LOG.warn("cannot register broker {} with Bastion: {}", r.id(), e.getMessage());
          failing = true;
        }
      }
    }
  }

  private List<BastionClient.Registration> registrations() {
    List<Listener> tcp = new ArrayList<>();
    for (Listener l : admin.getServerInformation().getListener()) {
      if (l.getListenerType() == ListenerType.TCP_LISTENER) {
        tcp.add(l);
      }
    }
    tcp.sort(Comparator.comparingInt(Listener::getPort));
    String baseId = settings.brokerId() != null ? settings.brokerId() : hostName();
    List<BastionClient.Registration> out = new ArrayList<>();
    for (Listener l : tcp) {
      String id = tcp.size() == 1 ? baseId : baseId + "-" + l.getPort();
      out.add(new BastionClient.Registration(id, host(l), l.getPort(), settings.lease(), 0,
          settings.capacity()));
    }
    return out;
  }

  private String host(Listener l) {
    if (settings.advertisedHost() != null) {
      return settings.advertisedHost();
    }
    String bind = l.getBindAddress();
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.isEmpty() ? hostName() : bind;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /**
   * Stops renewing and deregisters, so Bastion stops placing sessions on this broker at once.
   * HiveMQ stops extensions after it has closed its listeners, so the broker's clients are cut by
   * then; to move them without a cut, drain the broker through Bastion before stopping it.
   */
  void stop() {
    synchronized (this) {
      if (task != null) {
        task.cancel(false);
      }
    }
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (BastionClient.Registration r : registered) {
      try {
        bastion.deregister(settings.pool(), r.id());
        LOG.info("broker {} deregistered from Bastion", r.id());
      } catch (IOException e) {
        LOG.warn("cannot deregister broker {} from Bastion: {}", r.id(), e.getMessage());
      }
    }
  }
}
