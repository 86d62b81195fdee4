package io.bastion.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.bastion.mqtt.ReasonCode;
import io.bastion.relay.Session;
import io.bastion.relay.SessionRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node holds each client id. A session claims its id after the broker's CONNACK, off the
 * event loop; when the id was held through another node, the older connection is closed (MQTT 5:
 * DISCONNECT 0x8E) by the node that holds it, told through a topic. Never read on the routing path.
 */
final class ClientOwnership implements SessionRegistry.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(ClientOwnership.class);

  private final LocalNode node;
  private final Supplier<HazelcastInstance> hz;
  private final Map<Session, Ownership> claims = new ConcurrentHashMap<>();
  private final AtomicLong tokens = new AtomicLong();
  /** Claims and releases, in the order sessions start and end. */
  private final ExecutorService claimer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "bastion-cluster-clients");
    t.setDaemon(true);
    return t;
  });

  ClientOwnership(LocalNode node, Supplier<HazelcastInstance> hz) {
    this.node = node;
    this.hz = hz;
  }

  @Override
  public void opened(Session s) {
    if (!s.clientId().isEmpty()) {
      offload(() -> claim(s)); // the event loop only queues it
    }
  }

  @Override
  public void closed(Session s) {
    offload(() -> {
      Ownership o = claims.remove(s);
      HazelcastInstance instance = hz.get();
      if (o != null && instance != null) {
        try {
          instance.<String, String>getMap(HazelcastConfigs.CLIENTS)
              .submitToKey(s.clientId(), new Ownership.Release(o.node(), o.token()));
        } catch (HazelcastInstanceNotActiveException e) {
          // leaving: the others forget this node's client ids
        }
      }
    });
  }

  /** After joining or a merge: every session of this node claims its id (again). */
  void claimAll() {
    for (Session s : node.sessions().sessions()) {
      offload(() -> claim(s));
    }
  }

  private void offload(Runnable task) {
    try {
      claimer.execute(task);
    } catch (RejectedExecutionException e) {
      // closed: this node is leaving
    }
  }

  private void claim(Session s) {
    if (s.clientId().isEmpty()) {
      return;
    }
    Ownership mine = claims.computeIfAbsent(s, x -> new Ownership(node.nodeId(),
        tokens.incrementAndGet(), System.currentTimeMillis(), x.broker().pool() + "/" + x.broker().id()));
    HazelcastInstance instance = hz.get();
    if (instance == null) {
      return; // claimed when the join completes
    }
    try {
      instance.<String, String>getMap(HazelcastConfigs.CLIENTS)
          .submitToKey(s.clientId(), new Ownership.Claim(mine))
          .thenAccept(loser -> {
            if (loser != null) {
              Ownership lost = Ownership.decode(loser);
              if (lost.node().equals(node.nodeId())) {
                closeTakenOver(s.clientId(), lost.token(), lost.equals(mine) ? "a newer" : "another");
              } else {
                instance.<String>getTopic(HazelcastConfigs.TAKEOVERS)
                    .publishAsync(s.clientId() + '\t' + lost.node() + '\t' + lost.token());
              }
            }
          });
    } catch (HazelcastInstanceNotActiveException e) {
      // leaving
    }
  }

  /** A message on the take-over topic: {@code clientId TAB node TAB token}. */
  void takeover(String message) {
    String[] p = message.split("\t", 3);
    if (p.length == 3 && p[1].equals(node.nodeId())) {
      closeTakenOver(p[0], Long.parseLong(p[2]), "a newer");
    }
  }

  /** MQTT 5 clients hear 0x8E "session taken over"; older ones are closed. */
  private void closeTakenOver(String clientId, long token, String which) {
    for (Map.Entry<Session, Ownership> e : claims.entrySet()) {
      if (e.getValue().token() == token && e.getKey().clientId().equals(clientId)) {
        LOG.info("cluster: client id {} connected through {} node; closing the older connection here",
            clientId, which);
        e.getKey().disconnect(ReasonCode.SESSION_TAKEN_OVER, "client id connected through another node");
      }
    }
  }

  List<ClientLocation> locate(String clientId) {
    HazelcastInstance instance = hz.get();
    if (instance == null) {
      return StandaloneClusterState.localSessions(node, clientId);
    }
    Ownership o = Ownership.decode(instance.<String, String>getMap(HazelcastConfigs.CLIENTS).get(clientId));
    return o == null ? List.of() : List.of(new ClientLocation(clientId, o.node(), o.broker(), o.since()));
  }

  /** Bytes the shared client ids take on this member (entries and backups). */
  long memoryBytes() {
    HazelcastInstance instance = hz.get();
    if (instance == null) {
      return 0;
    }
    var stats = instance.<String, String>getMap(HazelcastConfigs.CLIENTS).getLocalMapStats();
    return stats.getOwnedEntryMemoryCost() + stats.getBackupEntryMemoryCost();
  }

  void close() {
    claimer.shutdown();
  }
}
