package io.bastion.detect.sim;

import io.bastion.detect.ClientFeature;
import io.bastion.detect.ClientWindow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded, virtual-time fleet that produces the windows the feature counters would close: normal
 * devices of every class with a daily rhythm and random reconnects, the plan's stress events and
 * attackers. No sockets: a simulated hour of 1,000 devices takes seconds. The same seed gives the
 * same windows.
 */
public final class FleetSimulator {

  /** 07:00 UTC, so a run starts on the morning ramp of the daily rhythm. */
  public static final long START_MILLIS = 1_767_250_800_000L;
  private static final double RECONNECTS_PER_HOUR = 1.0 / 6;

  private final SimulationPlan plan;
  private final SplittableRandom rng;
  private final List<SimDevice> devices = new ArrayList<>();
  private final List<SimDevice> joining = new ArrayList<>();
  private final Map<SimDevice, Long> joinAt = new HashMap<>();
  private final Map<SimDevice, Long> rolloutAt = new HashMap<>();
  private final List<SimAttack> attacks = new ArrayList<>();
  private final Map<String, SimAttack> hijacked = new HashMap<>();
  private final List<SimulationPlan.Stress> pendingStress;
  private final java.util.Set<SimDevice> firstWindow = new java.util.HashSet<>();
  private long now = START_MILLIS;
  private double fleetMessages;
  private int deviceCounter;
  private int attackCounter;

  public FleetSimulator(long seed, SimulationPlan plan) {
    this.plan = plan;
    this.rng = new SplittableRandom(seed);
    for (int i = 0; i < plan.devices(); i++) {
      SimDevice d = newDevice(pickClass(i, plan.devices()), now);
      devices.add(d);
      firstWindow.add(d);
    }
    this.pendingStress = new ArrayList<>(plan.stress());
    List<SimulationPlan.AttackSpec> specs = new ArrayList<>(plan.attacks());
    // shuffle attack kinds among the waves, deterministically per seed
    List<Long> slots = new ArrayList<>();
    for (SimulationPlan.AttackSpec s : specs) {
      slots.add(s.atMillis());
    }
    Collections.shuffle(slots, new java.util.Random(seed));
    for (int i = 0; i < specs.size(); i++) {
      SimulationPlan.AttackSpec s = specs.get(i);
      attacks.add(newAttack(s, START_MILLIS + slots.get(i)));
    }
  }

  private static DeviceClass pickClass(int i, int total) {
    double position = (i + 0.5) / total;
    double cumulative = 0;
    for (DeviceClass c : DeviceClass.values()) {
      cumulative += c.share();
      if (position < cumulative) {
        return c;
      }
    }
    return DeviceClass.TELEMETRY;
  }

  private SimDevice newDevice(DeviceClass kind, long at) {
    int n = deviceCounter++;
    String ip = "127.10." + (n / 250) + "." + (1 + n % 250);
    return new SimDevice(kind.cohort() + "-" + n, ip, kind, rng, at);
  }

  private SimAttack newAttack(SimulationPlan.AttackSpec s, long start) {
    int number = attackCounter++;
    DeviceClass victimClass = pickClass(rng.nextInt(990), 1000); // never a back-end consumer
    List<SimDevice> clients = new ArrayList<>();
    switch (s.origin()) {
      case LEGIT_DEVICE -> {
        SimDevice victim;
        do {
          victim = devices.get(rng.nextInt(devices.size()));
        } while (victim.kind == DeviceClass.BACKEND || hijacked.containsKey(victim.clientId));
        clients.add(victim);
      }
      case NEW_CLIENT -> clients.add(attacker(number, 0, victimClass, start));
      default -> {
        for (int i = 0; i < 100; i++) {
          clients.add(attacker(number, i, victimClass, start));
        }
      }
    }
    SimAttack a = new SimAttack(number, s.kind(), s.intensity(), s.origin(), start, start + s.durationMillis(), clients);
    if (s.origin() == Origin.LEGIT_DEVICE) {
      hijacked.put(clients.get(0).clientId, a);
    }
    return a;
  }

  private SimDevice attacker(int number, int i, DeviceClass kind, long start) {
    String ip = "127." + (100 + number / 250) + "." + (number % 250) + "." + (1 + i);
    return new SimDevice(kind.cohort() + "-a" + number + "-" + i, ip, kind, rng, start);
  }

  public boolean hasNext() {
    return now < START_MILLIS + plan.durationMillis();
  }

  public long nowMillis() {
    return now;
  }

  public SimulationPlan plan() {
    return plan;
  }

  public List<SimAttack> attacks() {
    return attacks;
  }

  /** Benign clients the run has seen so far (devices, joined devices). */
  public int benignClients() {
    return devices.size();
  }

  /** The attack a client or address belongs to at a time, or null for a benign client. */
  public SimAttack attackOf(String clientId, String ip, long millis) {
    SimAttack h = clientId == null ? null : hijacked.get(clientId);
    if (h != null) {
      // a hijacked device is an attacker from its attack's start until a minute after its end
      return millis >= h.startMillis() && millis < h.endMillis() + 60_000 ? h : null;
    }
    for (SimAttack a : attacks) {
      if ((clientId != null && a.usedId(clientId)) || (ip != null && a.ownsIp(ip))) {
        return a;
      }
    }
    if (clientId == null && ip != null) {
      // a finding about an address only: a hijacked device's address while it attacks
      for (SimAttack a : hijacked.values()) {
        if (a.ips.contains(ip) && millis >= a.startMillis() && millis < a.endMillis() + 60_000) {
          return a;
        }
      }
    }
    return null;
  }

  /** The stress event a moment belongs to (within {@link SimulationPlan#STRESS_SPAN_MILLIS}), or null. */
  public SimulationPlan.StressKind stressAt(long millis) {
    for (SimulationPlan.Stress s : plan.stress()) {
      long at = START_MILLIS + s.atMillis();
      if (millis >= at && millis < at + SimulationPlan.STRESS_SPAN_MILLIS) {
        return s.kind();
      }
    }
    return null;
  }

  /** Closes the next window and returns every client's window in it. */
  public List<ClientWindow> next() {
    long w = plan.windowMillis();
    long start = now;
    long end = start + w;
    startStress(start, end);
    double hours = ((end / 3_600_000.0) % 24);
    double rhythm = 1 + 0.4 * Math.sin(2 * Math.PI * (hours - 9) / 24);
    double reconnectChance = RECONNECTS_PER_HOUR * w / 3_600_000.0;
    List<ClientWindow> out = new ArrayList<>(devices.size() + 64);
    double published = 0;
    int backends = 0;
    for (SimDevice d : devices) {
      backends += d.kind == DeviceClass.BACKEND ? 1 : 0;
    }
    for (SimDevice d : joining) {
      if (joinAt.get(d) < end) {
        devices.add(d);
        firstWindow.add(d);
      }
    }
    joining.removeIf(devices::contains);
    for (SimDevice d : devices) {
      if (d.offlineUntilMillis >= end) {
        continue;
      }
      boolean connecting = firstWindow.remove(d);
      if (d.offlineUntilMillis > start) {
        connecting = true;
        d.offlineUntilMillis = 0;
      }
      if (d.reconnectAtMillis < end) {
        connecting = true;
        d.reconnectAtMillis = Long.MAX_VALUE;
      }
      Long rollout = rolloutAt.get(d);
      if (rollout != null && rollout < end) {
        rolloutAt.remove(d);
        connecting = true;
        d.payloadFactor = 10;
        d.diagnosticsTopic = true;
      }
      if (rng.nextDouble() < reconnectChance) {
        connecting = true;
      }
      double[] v = d.window(start, end, rhythm, fleetMessages, backends, connecting, rng);
      SimAttack a = hijacked.get(d.clientId);
      if (a != null && overlaps(a, start, end) && !a.kind().freshIdPerAttempt()) {
        a.overlay(v, d, 0, activeMillis(a, start, end), rng);
      }
      published += v[ClientFeature.PUBLISHES_IN.ordinal()];
      out.add(window(d.clientId, d.ip, d.kind, end, w, v));
    }
    for (SimAttack a : attacks) {
      if (!overlaps(a, start, end)) {
        continue;
      }
      if (a.kind().freshIdPerAttempt()) {
        int attempts = a.freshAttempts(activeMillis(a, start, end), rng);
        for (int i = 0; i < attempts; i++) {
          SimDevice via = a.clients.get(rng.nextInt(a.clients.size()));
          String ip = a.origin() == Origin.SPREAD ? via.ip : a.clients.get(0).ip;
          String id = a.freshId();
          String username = a.targetUsername();
          out.add(new ClientWindow(id, ip, "tcp", username != null ? username : id, via.kind.cohort(), end, w,
              a.freshWindow(w, rng)));
        }
        continue;
      }
      if (a.origin() == Origin.LEGIT_DEVICE) {
        continue;
      }
      for (int i = 0; i < a.clients.size(); i++) {
        SimDevice d = a.clients.get(i);
        boolean first = !firstWindow.contains(d) && d.connected == false;
        d.connected = true;
        double[] v = a.sessionless() ? new double[ClientFeature.COUNT]
            : d.window(start, end, rhythm, fleetMessages, backends, first, rng);
        a.overlay(v, d, i, activeMillis(a, start, end), rng);
        out.add(window(d.clientId, d.ip, d.kind, end, w, v));
      }
    }
    fleetMessages = published;
    now = end;
    return out;
  }

  private static boolean overlaps(SimAttack a, long start, long end) {
    return a.startMillis() < end && a.endMillis() > start;
  }

  /** How much of a window an attack covers: one starting mid-window adds only its share. */
  private static long activeMillis(SimAttack a, long start, long end) {
    return Math.min(end, a.endMillis()) - Math.max(start, a.startMillis());
  }

  private static ClientWindow window(String id, String ip, DeviceClass kind, long end, long w, double[] v) {
    return new ClientWindow(id, ip, "tcp", id, kind.cohort(), end, w, v);
  }

  private void startStress(long start, long end) {
    for (java.util.Iterator<SimulationPlan.Stress> it = pendingStress.iterator(); it.hasNext(); ) {
      SimulationPlan.Stress s = it.next();
      long at = START_MILLIS + s.atMillis();
      if (at >= end) {
        continue;
      }
      it.remove();
      switch (s.kind()) {
        case BROKER_FAILOVER -> {
          for (SimDevice d : devices) {
            d.reconnectAtMillis = at + (long) (rng.nextDouble() * 10_000);
          }
        }
        case FIRMWARE_ROLLOUT -> {
          List<SimDevice> eligible = new ArrayList<>();
          for (SimDevice d : devices) {
            if (d.kind != DeviceClass.BACKEND && d.kind != DeviceClass.GATEWAY && !hijacked.containsKey(d.clientId)) {
              eligible.add(d);
            }
          }
          Collections.shuffle(eligible, new java.util.Random(rng.nextLong()));
          int count = Math.max(1, plan.devices() / 10);
          for (SimDevice d : eligible.subList(0, Math.min(count, eligible.size()))) {
            rolloutAt.put(d, at + (long) (rng.nextDouble() * 120_000));
          }
        }
        case NEW_DEVICES -> {
          for (int i = 0; i < 50; i++) {
            SimDevice d = newDevice(pickClass(rng.nextInt(990), 1000), at);
            joining.add(d);
            joinAt.put(d, at + (long) (rng.nextDouble() * 60_000));
          }
        }
        case BACKEND_RESTART -> {
          for (SimDevice d : devices) {
            if (d.kind == DeviceClass.BACKEND) {
              d.offlineUntilMillis = at + 30_000;
              break;
            }
          }
        }
      }
    }
  }
}
