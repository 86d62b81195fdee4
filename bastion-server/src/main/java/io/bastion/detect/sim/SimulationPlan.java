package io.bastion.detect.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * What a simulation plays: fleet size, window length, how long, the benign stress events and the
 * attacks, each at an offset from the start.
 */
public record SimulationPlan(
    int devices, long windowMillis, long durationMillis, List<Stress> stress, List<AttackSpec> attacks) {

  /** Benign events that shake the whole fleet and must cause no action. */
  public enum StressKind {
    BROKER_FAILOVER("broker failover: every client reconnects within 10 s"),
    FIRMWARE_ROLLOUT("firmware rollout: 10 % of devices, payload ×10, a new topic"),
    NEW_DEVICES("50 new devices join"),
    BACKEND_RESTART("a back-end consumer restarts");

    private final String label;

    StressKind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public record Stress(StressKind kind, long atMillis) {}

  public record AttackSpec(AttackKind kind, Intensity intensity, Origin origin, long atMillis, long durationMillis) {}

  /** How long after a stress event the suite still counts actions as "during the event". */
  public static final long STRESS_SPAN_MILLIS = 10 * 60_000L;

  /**
   * The suite's plan: 20 minutes of normal traffic (warm-up), the four stress events, then every
   * attack kind × intensity × origin in waves of {@code perWave} (starting 15 s apart within a
   * wave), each attack lasting six minutes.
   */
  public static SimulationPlan suite(int devices, long windowMillis, int perWave) {
    long min = 60_000L;
    List<Stress> stress = List.of(
        new Stress(StressKind.BROKER_FAILOVER, 22 * min),
        new Stress(StressKind.FIRMWARE_ROLLOUT, 29 * min),
        new Stress(StressKind.NEW_DEVICES, 36 * min),
        new Stress(StressKind.BACKEND_RESTART, 43 * min));
    List<AttackSpec> attacks = new ArrayList<>();
    long first = 55 * min;
    int i = 0;
    for (AttackKind kind : AttackKind.values()) {
      for (Intensity intensity : Intensity.values()) {
        for (Origin origin : Origin.values()) {
          long wave = i / perWave;
          // attackers of a wave start 15 s apart, as unrelated attackers would, not on one tick
          long offset = (i % perWave) * 15_000L;
          i++;
          attacks.add(new AttackSpec(kind, intensity, origin, first + wave * 7 * min + offset, 6 * min));
        }
      }
    }
    long end = first + ((i + perWave - 1) / perWave) * 7 * min + 10 * min;
    return new SimulationPlan(devices, windowMillis, end, stress, attacks);
  }

  /** Normal traffic only, with the stress events at the given offsets. */
  public static SimulationPlan quiet(int devices, long windowMillis, long durationMillis, List<Stress> stress) {
    return new SimulationPlan(devices, windowMillis, durationMillis, stress, List.of());
  }

  public SimulationPlan withAttacks(List<AttackSpec> more) {
    List<AttackSpec> all = new ArrayList<>(attacks);
    all.addAll(more);
    return new SimulationPlan(devices, windowMillis, durationMillis, stress, all);
  }
}
