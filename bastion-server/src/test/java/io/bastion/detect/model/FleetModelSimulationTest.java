package io.bastion.detect.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.config.DetectionMode;
import io.bastion.config.ModelConfig;
import io.bastion.detect.ClientFeature;
import io.bastion.detect.Detection;
import io.bastion.detect.sim.AttackKind;
import io.bastion.detect.sim.FleetSimulator;
import io.bastion.detect.sim.Intensity;
import io.bastion.detect.sim.Origin;
import io.bastion.detect.sim.SimAttack;
import io.bastion.detect.sim.SimulationPlan;
import io.bastion.detect.sim.SimulationPlan.Stress;
import io.bastion.detect.sim.SimulationPlan.StressKind;
import io.bastion.detect.sim.VirtualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model on a simulated fleet: a hijacked device is caught and named, stress events are excused. */
class FleetModelSimulationTest {

  private static final long MIN = 60_000L;
  private static final ModelConfig ENFORCING =
      new ModelConfig(true, DetectionMode.ENFORCE, 30, 256, 60, 3, 5, null, Duration.ofMinutes(5));

  @Test
  void hijackedDeviceExfiltratingIsFlaggedWithinFiveMinutesAndTheVerdictNamesTheFeatures() {
    SimulationPlan plan = SimulationPlan.quiet(300, 10_000, 22 * MIN, List.of())
        .withAttacks(List.of(new SimulationPlan.AttackSpec(
            AttackKind.EXFILTRATION_PUBLISH, Intensity.MODERATE, Origin.LEGIT_DEVICE, 14 * MIN, 8 * MIN)));
    FleetSimulator sim = new FleetSimulator(7, plan);
    SimAttack attack = sim.attacks().get(0);
    String victim = attack.clientIds().get(0);
    RecordingResponder responder = run(sim);

    List<Detection> onVictim = responder.detections.stream().filter(d -> victim.equals(d.clientId())).toList();
    assertThat(onVictim).isNotEmpty();
    Detection verdict = onVictim.get(0);
    assertThat(verdict.detector()).isEqualTo("model");
    assertThat(verdict.time().toEpochMilli() - attack.startMillis()).isBetween(0L, 5 * MIN);
    assertThat(verdict.wanted()).isIn(Detection.Action.BLOCK, Detection.Action.DENY);
    List<String> labels = Arrays.stream(ClientFeature.values()).map(ClientFeature::label).toList();
    assertThat(verdict.because()).isNotEmpty();
    assertThat(verdict.because().get(0)).satisfies(
        reason -> assertThat(labels.stream().anyMatch(reason::startsWith)).as(reason).isTrue());
    assertThat(responder.detections).allMatch(d -> victim.equals(d.clientId()), "only the hijacked device");
  }

  @Test
  void aNewClientDoingWhatNoneOfItsCohortDoesIsFlaggedByTheEnvelope() {
    SimulationPlan plan = SimulationPlan.quiet(300, 10_000, 22 * MIN, List.of())
        .withAttacks(List.of(new SimulationPlan.AttackSpec(
            AttackKind.WILL_BOMB, Intensity.LOW, Origin.NEW_CLIENT, 14 * MIN, 8 * MIN)));
    FleetSimulator sim = new FleetSimulator(5, plan);
    SimAttack attack = sim.attacks().get(0);
    RecordingResponder responder = run(sim);

    List<Detection> onAttacker = responder.detections.stream()
        .filter(d -> attack.usedId(d.clientId())).toList();
    assertThat(onAttacker).isNotEmpty();
    assertThat(onAttacker.get(0).time().toEpochMilli() - attack.startMillis()).isBetween(0L, 40_000L);
    assertThat(onAttacker.get(0).because().get(0)).startsWith(ClientFeature.WILL_SIZE.label());
    assertThat(responder.detections).allMatch(d -> attack.usedId(d.clientId()), "only the attacker");
  }

  @Test
  void benignStressEventsRaiseNoAction() {
    SimulationPlan plan = SimulationPlan.quiet(1000, 10_000, 45 * MIN, List.of(
        new Stress(StressKind.BROKER_FAILOVER, 12 * MIN),
        new Stress(StressKind.FIRMWARE_ROLLOUT, 18 * MIN),
        new Stress(StressKind.NEW_DEVICES, 26 * MIN),
        new Stress(StressKind.BACKEND_RESTART, 33 * MIN)));
    RecordingResponder responder = run(new FleetSimulator(11, plan));

    assertThat(responder.detections).isEmpty();
  }

  private static RecordingResponder run(FleetSimulator sim) {
    RecordingResponder responder = new RecordingResponder();
    VirtualClock clock = new VirtualClock(sim.nowMillis());
    try (FleetModel model = new FleetModel(ENFORCING, responder, clock, new SimpleMeterRegistry())) {
      while (sim.hasNext()) {
        var windows = sim.next();
        clock.set(sim.nowMillis());
        model.accept(windows);
      }
      assertThat(model.status().cohorts()).allMatch(c -> c.warmedUp());
    }
    return responder;
  }
}
