package io.bastion.bench.detect;

import io.bastion.config.DetectionMode;
import io.bastion.config.ModelConfig;
import io.bastion.detect.ClientWindow;
import io.bastion.detect.Responder;
import io.bastion.detect.WindowSink;
import io.bastion.detect.model.CohortStatus;
import io.bastion.detect.model.FleetModel;
import io.bastion.detect.model.ModelStatus;
import io.bastion.detect.sim.AttackKind;
import io.bastion.detect.sim.FleetSimulator;
import io.bastion.detect.sim.Intensity;
import io.bastion.detect.sim.SimulationPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The attack simulation suite: a simulated fleet with stress events and every attacker, fed to the
 * anomaly model and to the baselines side by side, seed by seed; prints the results tables.
 */
@Command(name = "detection-suite", mixinStandardHelpOptions = true,
    description = "Run the attack simulation suite against the anomaly model and the baselines.")
public final class DetectionSuiteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--seeds", split = ",", defaultValue = "3,4,5",
      description = "Seeds to run (tune on 1,2; report 3,4,5). Default: ${DEFAULT-VALUE}")
  List<Long> seeds;

  @Option(names = "--devices", defaultValue = "1000", description = "Normal devices. Default: ${DEFAULT-VALUE}")
  int devices;

  @Option(names = "--window", defaultValue = "10s",
      converter = io.bastion.bench.DurationConverter.class,
      description = "Feature window (detection.window). Default: ${DEFAULT-VALUE}")
  Duration window;

  @Option(names = "--per-wave", defaultValue = "20", description = "Attacks at the same time. Default: ${DEFAULT-VALUE}")
  int perWave;

  @Option(names = "--trees", defaultValue = "30", description = "model.trees. Default: ${DEFAULT-VALUE}")
  int trees;

  @Option(names = "--sample-size", defaultValue = "256", description = "model.sample-size. Default: ${DEFAULT-VALUE}")
  int sampleSize;

  @Option(names = "--warm-up", defaultValue = "15m", converter = io.bastion.bench.DurationConverter.class,
      description = "Warm-up as traffic time (model.warm-up-windows = this / window). Default: ${DEFAULT-VALUE}")
  Duration warmUp;

  @Option(names = "--score-sigmas", description = "Override the model's tuning: forest score threshold in standard deviations.")
  Double scoreSigmas;

  @Option(names = "--score-floor", description = "Override the model's tuning: lowest forest score threshold.")
  Double scoreFloor;

  @Option(names = "--self-z", description = "Override the model's tuning: standard deviations from its own baseline.")
  Double selfZ;

  @Option(names = "--examples", description = "Print example verdicts (what the model said).")
  boolean examples;

  @Option(names = "--only", description = "Run only one contender: model, flapping, rules only or model + rules.")
  String only;

  @Option(names = "--misses", description = "List the stealthy attackers each contender missed.")
  boolean misses;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SimulationPlan plan = SimulationPlan.suite(devices, window.toMillis(), perWave);
    ModelConfig model = new ModelConfig(true, DetectionMode.ENFORCE, trees, sampleSize,
        (int) (warmUp.toMillis() / window.toMillis()), 3, 5, null, Duration.ofMinutes(5));
    List<SuiteContender> contenders = new ArrayList<>();
    contenders.add(new SuiteContender() {
      public String name() {
        return "model";
      }

      public WindowSink create(Responder responder, Clock clock) {
        return new FleetModel(model, tuning(), responder, clock, new SimpleMeterRegistry());
      }
    });
    contenders.add(new SuiteContender() {
      public String name() {
        return "flapping (15 connects/min → 5 min ban)";
      }

      public WindowSink create(Responder responder, Clock clock) {
        return new FlappingDetector(responder, clock);
      }
    });
    contenders.addAll(ExtraContenders.all(
        (responder, clock) -> new FleetModel(model, tuning(), responder, clock, new SimpleMeterRegistry())));
    if (only != null) {
      contenders.removeIf(c -> !c.name().equals(only) && !c.name().startsWith(only + " ("));
    }
    List<SuiteTally> tallies = new ArrayList<>();
    for (SuiteContender c : contenders) {
      tallies.add(new SuiteTally(c.name()));
    }
    long maxForestBytes = 0;
    long measuredHeap = -1;
    double maxClientBytes = 0;
    long wallStart = System.nanoTime();
    for (long seed : seeds) {
      FleetSimulator sim = new FleetSimulator(seed, plan);
      io.bastion.detect.sim.VirtualClock clock = new io.bastion.detect.sim.VirtualClock(sim.nowMillis());
      List<WindowSink> sinks = new ArrayList<>();
      List<SuiteTally.SeedResponder> responders = new ArrayList<>();
      for (int i = 0; i < contenders.size(); i++) {
        SuiteTally.SeedResponder r = tallies.get(i).new SeedResponder(seed, sim);
        responders.add(r);
        sinks.add(contenders.get(i).create(r, clock));
      }
      long clientWindows = 0;
      while (sim.hasNext()) {
        List<ClientWindow> windows = sim.next();
        clock.set(sim.nowMillis());
        clientWindows += windows.size();
        for (WindowSink s : sinks) {
          s.accept(windows);
        }
      }
      for (int i = 0; i < sinks.size(); i++) {
        responders.get(i).finish();
        SuiteTally t = tallies.get(i);
        t.simulatedMillis += plan.durationMillis();
        t.clientWindows += clientWindows;
        if (sinks.get(i) instanceof FleetModel m) {
          ModelStatus status = m.status();
          for (CohortStatus cs : status.cohorts()) {
            t.modelCpuNanos += cs.scoringCpuNanos();
          }
          maxClientBytes = Math.max(maxClientBytes, io.bastion.detect.model.ModelMemory.perClientBytes());
          maxForestBytes = Math.max(maxForestBytes, io.bastion.detect.model.ModelMemory.forestBytes(model));
          out.printf(Locale.ROOT, "seed %d: %d clients tracked in %d cohorts%n",
              seed, status.clientsTracked(), status.cohorts().size());
        }
      }
      if (measuredHeap < 0) {
        for (int i = 0; i < sinks.size(); i++) {
          if (sinks.get(i) instanceof FleetModel) {
            measuredHeap = heapHeldBy(sinks, i);
          }
        }
      }
      for (WindowSink s : sinks) {
        if (s instanceof AutoCloseable c) {
          try {
            c.close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }
      out.printf(Locale.ROOT, "seed %d done: %d client windows, %.0f simulated minutes%n",
          seed, clientWindows, plan.durationMillis() / 60_000.0);
      out.flush();
    }
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
    print(out, plan, tallies, maxForestBytes, maxClientBytes, measuredHeap, wallSeconds);
    out.flush();
    return 0;
  }

  private io.bastion.detect.model.ModelTuning tuning() {
    io.bastion.detect.model.ModelTuning t = io.bastion.detect.model.ModelTuning.defaults();
    return new io.bastion.detect.model.ModelTuning(selfZ != null ? selfZ : t.selfZ(), t.selfMinChange(),
        t.peakMargin(), t.peakDecay(), t.spreadFloor(), t.baselineWindows(), t.baselineWeight(), t.screenZ(),
        scoreSigmas != null ? scoreSigmas : t.scoreSigmas(), t.newClientMargin(), scoreFloor != null ? scoreFloor : t.scoreFloor(),
        t.maxUpdatesPerWindow(), t.shiftMinClients(), t.shiftShare(), t.shiftExcuseWindows(),
        t.repeatVerdictWindows(), t.forgetWindows(), t.envelopeMargin());
  }

  /** Heap the model holds, measured by dropping it: used heap with it minus used heap without. */
  private static long heapHeldBy(List<WindowSink> sinks, int index) {
    long with = usedHeap();
    ((FleetModel) sinks.get(index)).close();
    sinks.set(index, windows -> { });
    return Math.max(0, with - usedHeap());
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best;
  }

  private void print(PrintWriter out, SimulationPlan plan, List<SuiteTally> tallies, long forestBytes,
      double clientBytes, long measuredHeap, double wallSeconds) {
    out.printf(Locale.ROOT, "%n## Detection suite: seeds %s, %d devices, %d s windows, %d attackers per seed, %.0f simulated minutes per seed (%.0f s wall)%n",
        seeds, devices, window.toSeconds(), plan.attacks().size(), plan.durationMillis() / 60_000.0, wallSeconds);
    for (SuiteTally t : tallies) {
      out.printf(Locale.ROOT, "%n### %s%n%n", t.name);
      out.println("| attack | intensity | detected | detect p50 / p95 (s) | block p50 / p95 (s) |");
      out.println("| --- | --- | --- | --- | --- |");
      for (AttackKind kind : AttackKind.values()) {
        for (Intensity intensity : Intensity.values()) {
          List<SuiteTally.Outcome> rows = t.outcomes.stream()
              .filter(o -> o.kind() == kind && o.intensity() == intensity).toList();
          List<Long> detect = rows.stream().filter(SuiteTally.Outcome::detected).map(SuiteTally.Outcome::detectMillis).toList();
          List<Long> block = rows.stream().filter(o -> o.blockMillis() >= 0).map(SuiteTally.Outcome::blockMillis).toList();
          out.printf(Locale.ROOT, "| %s%s | %s | %d/%d | %s | %s |%n", kind.label(), kind.stealthy() ? " *" : "",
              intensity.name().toLowerCase(Locale.ROOT), detect.size(), rows.size(), pair(detect), pair(block));
        }
      }
      List<SuiteTally.Outcome> stealthy = t.outcomes.stream().filter(o -> o.kind().stealthy()).toList();
      long within5 = stealthy.stream().filter(o -> o.detected() && o.detectMillis() <= 300_000).count();
      List<Long> stealthyTimes = stealthy.stream().filter(SuiteTally.Outcome::detected).map(SuiteTally.Outcome::detectMillis).toList();
      List<SuiteTally.Outcome> stealthyPerClient = stealthy.stream()
          .filter(o -> o.kind() != AttackKind.SLOW_BRUTE_FORCE).toList();
      long within5PerClient = stealthyPerClient.stream().filter(o -> o.detected() && o.detectMillis() <= 300_000).count();
      List<Long> all = t.outcomes.stream().filter(SuiteTally.Outcome::detected).map(SuiteTally.Outcome::detectMillis).toList();
      double days = t.simulatedMillis / 86_400_000.0 / seeds.size();
      double benignShare = t.benignClients == 0 ? 0 : (double) t.benignActedOn.size() / t.benignClients;
      out.printf(Locale.ROOT, "%n(* stealthy)%n%n");
      out.printf(Locale.ROOT, "- stealthy attackers detected within 5 min: %d/%d = %.1f %% (without the 1/min brute force, which uses a fresh id per attempt: %d/%d = %.1f %%)%n",
          within5, stealthy.size(), 100.0 * within5 / Math.max(1, stealthy.size()),
          within5PerClient, stealthyPerClient.size(), 100.0 * within5PerClient / Math.max(1, stealthyPerClient.size()));
      out.printf(Locale.ROOT, "- time to detect, stealthy: p50 %s s, p95 %s s; all attacks: p50 %s s, p95 %s s%n",
          secs(SuiteTally.percentile(stealthyTimes, 0.5)), secs(SuiteTally.percentile(stealthyTimes, 0.95)),
          secs(SuiteTally.percentile(all, 0.5)), secs(SuiteTally.percentile(all, 0.95)));
      out.printf(Locale.ROOT, "- benign clients acted on: %d of %d client-runs = %.3f %% per run, %.3f %% per simulated day; observed only: %d%n",
          t.benignActedOn.size(), t.benignClients, 100 * benignShare, 100 * benignShare / days, t.benignObserved.size());
      for (SimulationPlan.StressKind s : SimulationPlan.StressKind.values()) {
        out.printf(Locale.ROOT, "- acted on during %s: %d%n", s.label(), t.duringStress.getOrDefault(s, java.util.Set.of()).size());
      }
      if (t.modelCpuNanos > 0) {
        double perWindowMicros = t.modelCpuNanos / 1000.0 / t.clientWindows;
        double clientsPerWindow = (double) t.clientWindows / (t.simulatedMillis / (double) window.toMillis());
        double coreShare = t.modelCpuNanos / (t.simulatedMillis * 1e6) * (1000.0 / clientsPerWindow);
        out.printf(Locale.ROOT, "- model CPU: %.1f µs per client window, %.2f %% of one core per 1,000 clients (%.0f clients per window on average)%n",
            perWindowMicros, 100 * coreShare, clientsPerWindow);
        out.printf(Locale.ROOT, "- model memory: %.0f bytes per client (estimate), %.2f MiB per cohort forest (estimate); measured heap of all cohort models and baselines: %.2f MiB%n",
            clientBytes, forestBytes / 1048576.0, measuredHeap / 1048576.0);
      }
      for (io.bastion.detect.sim.Origin origin : io.bastion.detect.sim.Origin.values()) {
        List<SuiteTally.Outcome> o = t.outcomes.stream().filter(x -> x.origin() == origin).toList();
        List<SuiteTally.Outcome> os = o.stream().filter(x -> x.kind().stealthy()).toList();
        out.printf(Locale.ROOT, "- from %s: %d/%d attackers detected (stealthy %d/%d)%n",
            origin.name().toLowerCase(Locale.ROOT).replace('_', ' '), o.stream().filter(SuiteTally.Outcome::detected).count(),
            o.size(), os.stream().filter(SuiteTally.Outcome::detected).count(), os.size());
      }
      if (misses) {
        out.println();
        for (SuiteTally.Outcome o : stealthy) {
          if (!o.detected() || o.detectMillis() > 300_000) {
            out.printf(Locale.ROOT, "  - missed %s (%s, %s): %s from %.1f min%n", o.kind().label(),
                o.intensity().name().toLowerCase(Locale.ROOT), o.origin().name().toLowerCase(Locale.ROOT),
                o.firstClientId(), o.startMillis() / 60_000.0);
          } else if (o.detectMillis() > 30_000) {
            out.printf(Locale.ROOT, "  - late %s (%s, %s): %s from %.1f min after %d s%n", o.kind().label(),
                o.intensity().name().toLowerCase(Locale.ROOT), o.origin().name().toLowerCase(Locale.ROOT),
                o.firstClientId(), o.startMillis() / 60_000.0, o.detectMillis() / 1000);
          }
        }
      }
      if (examples) {
        out.println();
        for (String e : t.benignExamples) {
          out.println("  - benign " + e);
        }
        for (String e : t.examples) {
          out.println("  - " + e);
        }
      }
    }
  }

  private static String pair(List<Long> millis) {
    if (millis.isEmpty()) {
      return "–";
    }
    return secs(SuiteTally.percentile(millis, 0.5)) + " / " + secs(SuiteTally.percentile(millis, 0.95));
  }

  private static String secs(long millis) {
    return millis < 0 ? "–" : String.format(Locale.ROOT, "%.0f", millis / 1000.0);
  }
}
