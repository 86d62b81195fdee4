package io.bastion.detect.sim;

import static io.bastion.detect.ClientFeature.*;

import io.bastion.detect.ClientFeature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One attacker of the suite: what it does to a window, from which clients, and when. Intensity
 * scales what it adds by its victim's normal ({@link Intensity#factor()}), so a low-intensity
 * attacker only doubles what the device it imitates would do.
 */
public final class SimAttack {

  private final int number;
  private final AttackKind kind;
  private final Intensity intensity;
  private final Origin origin;
  private final long startMillis;
  private final long endMillis;
  final List<SimDevice> clients = new ArrayList<>();
  final List<String> ips = new ArrayList<>();
  private final Set<String> clientIds = new HashSet<>();
  private int freshIds;
  private final boolean[] started;

  SimAttack(int number, AttackKind kind, Intensity intensity, Origin origin, long startMillis, long endMillis,
      List<SimDevice> clients) {
    this.number = number;
    this.kind = kind;
    this.intensity = intensity;
    this.origin = origin;
    this.startMillis = startMillis;
    this.endMillis = endMillis;
    this.clients.addAll(clients);
    for (SimDevice d : clients) {
      clientIds.add(d.clientId);
      ips.add(d.ip);
    }
    this.started = new boolean[clients.size()];
  }

  public int number() {
    return number;
  }

  public AttackKind kind() {
    return kind;
  }

  public Intensity intensity() {
    return intensity;
  }

  public Origin origin() {
    return origin;
  }

  public long startMillis() {
    return startMillis;
  }

  public long endMillis() {
    return endMillis;
  }

  /** The ids of the clients it starts with (the hijacked device's, for a legitimate device). */
  public List<String> clientIds() {
    return clients.stream().map(d -> d.clientId).toList();
  }

  public boolean activeAt(long millis) {
    return millis >= startMillis && millis < endMillis;
  }

  /** Whether a client id was used by this attacker (fresh ids included). */
  public boolean usedId(String clientId) {
    return clientIds.contains(clientId);
  }

  /** Whether an address belongs to this attacker alone (not a hijacked device's). */
  public boolean ownsIp(String ip) {
    return origin != Origin.LEGIT_DEVICE && ips.contains(ip);
  }

  String freshId() {
    String id = "x" + number + "-" + (freshIds++);
    clientIds.add(id);
    return id;
  }

  /** Attempts this window for attacks that use a fresh client id for each attempt. */
  int freshAttempts(long windowMillis, SplittableRandom rng) {
    double m = intensity.factor();
    double per10s = switch (kind) {
      case CLIENT_ID_CHURN -> m;
      case BRUTE_FORCE_USERNAME, BRUTE_FORCE_DISTRIBUTED -> 2 * m;
      default -> m / 6.0; // slow brute force: m attempts a minute
    };
    return SimDevice.poisson(per10s * windowMillis / 10_000.0, rng);
  }

  /** The window of one fresh-id attempt. */
  double[] freshWindow(long windowMillis, SplittableRandom rng) {
    double[] v = new double[ClientFeature.COUNT];
    SimDevice.set(v, CONNECTS, 1);
    SimDevice.set(v, CONNECT_DELAY, 2 + rng.nextInt(20));
    SimDevice.set(v, KEEPALIVE, 60);
    SimDevice.set(v, OTHER_PACKETS, 1);
    if (kind != AttackKind.CLIENT_ID_CHURN) {
      SimDevice.set(v, AUTH_FAILURES, 1);
    } else {
      SimDevice.set(v, PUBLISHES_IN, 1);
      SimDevice.set(v, BYTES_IN, 120);
      SimDevice.set(v, PAYLOAD_MEAN, 80);
      SimDevice.set(v, PAYLOAD_MAX, 80);
      SimDevice.set(v, DISTINCT_TOPICS, 1);
      SimDevice.set(v, NEW_TOPIC_SHARE, 1);
      SimDevice.set(v, TOPIC_DEPTH_MAX, 4);
    }
    return v;
  }

  /** Attacks in which the attacker never holds a session: its windows carry nothing else. */
  boolean sessionless() {
    return switch (kind) {
      case BRUTE_FORCE_IP, SLOWLORIS, MALFORMED -> true;
      default -> false;
    };
  }

  /** Adds the attack to a client's window. */
  void overlay(double[] v, SimDevice d, int clientIndex, long windowMillis, SplittableRandom rng) {
    boolean first = !started[clientIndex];
    started[clientIndex] = true;
    double m = intensity.factor();
    double scale = windowMillis / 10_000.0;
    double n = Math.max(0.5, d.usualMessagesPer10s()) * scale;
    double p = d.payload();
    switch (kind) {
      case CONNECT_FLOOD -> {
        double c = Math.ceil(3 * m * scale);
        SimDevice.add(v, CONNECTS, c);
        SimDevice.add(v, OTHER_PACKETS, c);
        SimDevice.set(v, CONNECT_DELAY, 4);
      }
      case PUBLISH_FLOOD -> publish(v, SimDevice.poisson(m * n, rng), p, 0, rng);
      case BRUTE_FORCE_IP -> {
        double c = Math.ceil(2 * m * scale);
        SimDevice.add(v, AUTH_FAILURES, c);
        SimDevice.add(v, CONNECTS, c);
        SimDevice.set(v, CONNECT_DELAY, 3);
      }
      case MALFORMED -> {
        double c = Math.ceil(m * scale);
        SimDevice.add(v, MALFORMED, c);
        SimDevice.add(v, CONNECTS, c);
      }
      case SLOWITE -> {
        SimDevice.set(v, KEEPALIVE, 65_535);
        SimDevice.set(v, IDLE_RATIO, 0.0001);
        SimDevice.add(v, CONNECTS, Math.ceil(m * scale / 5));
      }
      case SLOWLORIS -> {
        SimDevice.add(v, STUCK_BYTES, 5 * m);
        SimDevice.set(v, STUCK_MILLIS, windowMillis);
        SimDevice.set(v, CONNECT_DELAY, windowMillis);
      }
      case WILDCARD_SCAN -> {
        double c = Math.ceil(m * scale);
        SimDevice.add(v, SUBSCRIBES, c);
        SimDevice.add(v, WILDCARD_FILTERS, c);
        SimDevice.add(v, SYS_FILTERS, Math.ceil(c / 4));
        SimDevice.add(v, ACL_DENIALS, Math.floor(c / 2));
      }
      case TOPIC_ENUMERATION -> {
        double c = Math.ceil(2 * m * scale);
        SimDevice.add(v, SUBSCRIBES, c);
        SimDevice.add(v, ACL_DENIALS, Math.floor(c * 0.8));
      }
      case TAKEOVER_PING_PONG -> {
        double c = Math.ceil(m * scale);
        SimDevice.add(v, CONNECTS, c);
        SimDevice.add(v, TAKEOVERS, c);
      }
      case SLOW_QOS2_SUBSCRIBER -> {
        SimDevice.add(v, INFLIGHT, 10 * m);
        SimDevice.add(v, MESSAGES_OUT, Math.ceil(2 * m * scale));
        if (first) {
          SimDevice.add(v, SUBSCRIBES, 1);
        }
      }
      case EXFILTRATION_PUBLISH -> {
        int k = SimDevice.poisson(m * n, rng);
        publish(v, k, p * Math.min(10, 1 + m / 2), 0, rng);
        if (k > 0) {
          SimDevice.add(v, DISTINCT_TOPICS, 1);
          if (first) {
            share(v, 1);
          }
        } else {
          started[clientIndex] = false; // the new topic is still unused
        }
      }
      case EXFILTRATION_SUBSCRIBE -> {
        if (first) {
          SimDevice.add(v, SUBSCRIBES, 1);
          SimDevice.add(v, WILDCARD_FILTERS, 1);
        }
        int k = SimDevice.poisson(m * n, rng);
        SimDevice.add(v, MESSAGES_OUT, k);
        SimDevice.add(v, BYTES_OUT, k * (p + 36));
      }
      case UNAUTHORISED_PUBLISH -> {
        int k = SimDevice.poisson(m * n, rng);
        int pool = (int) (3 * m);
        int fresh = 0;
        for (int i = 0; i < k; i++) {
          if (rng.nextInt(pool + 1) > 0 && rng.nextDouble() < 0.5) {
            fresh++;
          }
        }
        publish(v, k, p, 1, rng);
        SimDevice.add(v, DISTINCT_TOPICS, Math.min(k, pool));
        share(v, fresh);
      }
      case C2_SUBSCRIPTION -> {
        if (first) {
          SimDevice.add(v, SUBSCRIBES, 1);
        }
        int commands = SimDevice.poisson(0.1 * m * scale * 10, rng);
        SimDevice.add(v, MESSAGES_OUT, commands);
        SimDevice.add(v, BYTES_OUT, commands * 80);
        publish(v, commands, p, 1, rng);
      }
      case TOPIC_EXPLOSION -> {
        int k = Math.max(1, SimDevice.poisson(m * n, rng));
        publish(v, k, p, 2, rng);
        SimDevice.add(v, DISTINCT_TOPICS, k);
        share(v, k);
      }
      case WILL_BOMB -> {
        SimDevice.add(v, CONNECTS, Math.ceil(m * scale / 5));
        SimDevice.set(v, WILL_SIZE, 45 * (1 + m) * 10);
      }
      default -> { }
    }
    if (first && origin != Origin.LEGIT_DEVICE) {
      SimDevice.set(v, CONNECTS, Math.max(1, v[CONNECTS.ordinal()]));
    }
  }

  private static void publish(double[] v, int k, double payload, int extraDepth, SplittableRandom rng) {
    if (k <= 0) {
      return;
    }
    double before = v[PUBLISHES_IN.ordinal()];
    double mean = v[PAYLOAD_MEAN.ordinal()];
    SimDevice.add(v, PUBLISHES_IN, k);
    SimDevice.add(v, BYTES_IN, k * (payload + 36));
    SimDevice.set(v, PAYLOAD_MEAN, (mean * before + payload * k) / (before + k));
    SimDevice.set(v, PAYLOAD_MAX, Math.max(v[PAYLOAD_MAX.ordinal()], payload * (1 + 0.1 * rng.nextDouble())));
    SimDevice.set(v, TOPIC_DEPTH_MAX, Math.max(v[TOPIC_DEPTH_MAX.ordinal()], 4 + extraDepth));
  }

  /** Recomputes the share of never-used topics after adding {@code fresh} new ones. */
  private static void share(double[] v, int fresh) {
    double distinct = Math.max(1, v[DISTINCT_TOPICS.ordinal()]);
    double before = v[NEW_TOPIC_SHARE.ordinal()] * distinct;
    SimDevice.set(v, NEW_TOPIC_SHARE, Math.min(1, (before + fresh) / distinct));
  }
}
