package io.bastion.bench.detect;

import io.bastion.detect.Detection;
import io.bastion.detect.Responder;
import io.bastion.detect.sim.AttackKind;
import io.bastion.detect.sim.FleetSimulator;
import io.bastion.detect.sim.Intensity;
import io.bastion.detect.sim.SimAttack;
import io.bastion.detect.sim.SimulationPlan;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What one contender did over all seeds: attackers found and how fast, benign clients acted on. */
final class SuiteTally {

  /** One attacker's outcome: -1 when never detected (or blocked). */
  record Outcome(AttackKind kind, Intensity intensity, io.bastion.detect.sim.Origin origin, long detectMillis, long blockMillis,
      String firstClientId, long startMillis) {
    boolean detected() {
      return detectMillis >= 0;
    }
  }

  final String name;
  final List<Outcome> outcomes = new ArrayList<>();
  final Set<String> benignActedOn = new HashSet<>();
  final Set<String> benignObserved = new HashSet<>();
  final Map<SimulationPlan.StressKind, Set<String>> duringStress = new EnumMap<>(SimulationPlan.StressKind.class);
  final List<String> examples = new ArrayList<>();
  final List<String> benignExamples = new ArrayList<>();
  long benignClients;
  double simulatedHours;
  long modelCpuNanos;
  long clientWindows;
  long simulatedMillis;

  SuiteTally(String name) {
    this.name = name;
  }

  /** The responder a contender acts through during one seed. */
  final class SeedResponder implements Responder {
    private final long seed;
    private final FleetSimulator sim;
    private final Map<String, Long> flaggedUntil = new HashMap<>();
    private final Map<SimAttack, long[]> firsts = new HashMap<>();

    SeedResponder(long seed, FleetSimulator sim) {
      this.seed = seed;
      this.sim = sim;
    }

    @Override
    public void respond(Detection d) {
      long t = d.time().toEpochMilli();
      if (d.clientId() != null) {
        flaggedUntil.put(d.clientId(), t + 10 * 60_000L);
      }
      boolean action = d.wanted().compareTo(Detection.Action.OBSERVE) > 0;
      boolean block = d.wanted().compareTo(Detection.Action.DENY) >= 0;
      // a finding about a username (brute force) names no client: the username is the target's id
      String who = d.clientId() != null ? d.clientId() : d.username();
      SimAttack a = sim.attackOf(who, d.remoteIp(), t);
      if (a != null) {
        long[] f = firsts.computeIfAbsent(a, x -> new long[] {-1, -1});
        if (f[0] < 0) {
          f[0] = t - a.startMillis();
          if (examples.size() < 40 && a.kind().stealthy()) {
            examples.add(a.kind().label() + " (" + a.intensity().name().toLowerCase() + ", "
                + a.origin().name().toLowerCase().replace('_', ' ') + "): " + String.join("; ", d.because()));
          }
        }
        if (block && f[1] < 0) {
          f[1] = t - a.startMillis();
        }
        return;
      }
      String key = seed + "/" + (who != null ? who : d.remoteIp());
      if (!action) {
        benignObserved.add(key);
        return;
      }
      SimulationPlan.StressKind stress = sim.stressAt(t);
      if (benignActedOn.add(key) && benignExamples.size() < 30) {
        benignExamples.add(d.clientId() + " (" + d.cohort() + (stress == null ? "" : ", during " + stress.name().toLowerCase())
            + ", " + (t - FleetSimulator.START_MILLIS) / 60_000 + " min): " + String.join("; ", d.because()));
      }
      if (stress != null) {
        duringStress.computeIfAbsent(stress, k -> new HashSet<>()).add(key);
      }
    }

    @Override
    public boolean flagged(String clientId) {
      Long until = flaggedUntil.get(clientId);
      return until != null && until > sim.nowMillis();
    }

    void finish() {
      for (SimAttack a : sim.attacks()) {
        long[] f = firsts.getOrDefault(a, new long[] {-1, -1});
        outcomes.add(new Outcome(a.kind(), a.intensity(), a.origin(), f[0], f[1], a.clientIds().get(0),
            a.startMillis() - FleetSimulator.START_MILLIS));
      }
      benignClients += sim.benignClients();
    }
  }

  static long percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
