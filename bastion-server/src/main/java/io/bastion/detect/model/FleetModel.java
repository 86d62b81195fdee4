package io.bastion.detect.model;

import com.amazon.randomcutforest.parkservices.state.ThresholdedRandomCutForestMapper;
import io.bastion.config.ModelConfig;
import io.bastion.detect.ClientWindow;
import io.bastion.detect.Detection;
import io.bastion.detect.Responder;
import io.bastion.detect.WindowSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anomaly model: one {@link CohortModel} per cohort, each owned by its own thread. Windows
 * arrive on a detection thread, are split by cohort and judged in parallel; {@link #accept} returns
 * once every cohort has judged them, so verdicts follow windows in order. State is checkpointed per
 * cohort every {@link ModelConfig#checkpointInterval()} and reloaded at start.
 */
public final class FleetModel implements WindowSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FleetModel.class);

  private final ModelConfig config;
  private final ModelTuning tuning;
  private final Responder responder;
  private final Clock clock;
  private final MeterRegistry registry;
  private final ModelCheckpoints checkpoints;
  private final Map<String, CohortWorker> workers = new ConcurrentHashMap<>();
  private final Map<String, CohortCheckpoint> restored = new ConcurrentHashMap<>();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private volatile boolean closed;

  public FleetModel(ModelConfig config, Responder responder, Clock clock, MeterRegistry registry) {
    this(config, ModelTuning.defaults(), responder, clock, registry);
  }

  public FleetModel(
      ModelConfig config, ModelTuning tuning, Responder responder, Clock clock, MeterRegistry registry) {
    this.config = config;
    this.tuning = tuning;
    this.responder = responder;
    this.clock = clock;
    this.registry = registry;
    this.checkpoints = config.checkpointDir() == null ? null : new ModelCheckpoints(config.checkpointDir());
    if (checkpoints != null && config.enabled()) {
      for (CohortCheckpoint c : checkpoints.loadAll(FeatureScaling.DIMENSIONS, config.trees(), config.sampleSize())) {
        restored.put(c.cohort(), c);
        worker(c.cohort());
      }
    }
  }

  @Override
  public void accept(List<ClientWindow> windows) {
    if (!config.enabled() || closed || windows.isEmpty()) {
      return;
    }
    Map<String, List<ClientWindow>> byCohort = new LinkedHashMap<>();
    for (ClientWindow w : windows) {
      byCohort.computeIfAbsent(w.cohort(), c -> new ArrayList<>()).add(w);
    }
    List<Future<?>> pending = new ArrayList<>(byCohort.size());
    for (Map.Entry<String, List<ClientWindow>> e : byCohort.entrySet()) {
      CohortWorker worker = worker(e.getKey());
      pending.add(worker.thread.submit(() -> worker.judge(e.getValue())));
    }
    awaitAll(pending, "Anomaly model failed to judge a window");
  }

  /** Saves every cohort now (also done every checkpoint interval and on close). */
  public void checkpointNow() {
    List<Future<?>> pending = new ArrayList<>();
    for (CohortWorker w : workers.values()) {
      pending.add(w.thread.submit(w::checkpoint));
    }
    awaitAll(pending, "Model checkpoint failed");
  }

  /** Waits for every cohort's task; one failing is logged and does not stop the others. */
  private static void awaitAll(List<Future<?>> pending, String failure) {
    for (Future<?> f : pending) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        LOG.error(failure, e.getCause());
      }
    }
  }

  public ModelStatus status() {
    List<CohortStatus> cohorts = new ArrayList<>();
    for (CohortWorker w : workers.values()) {
      cohorts.add(w.status);
    }
    cohorts.sort(Comparator.comparing(CohortStatus::cohort));
    return new ModelStatus(config.enabled(), config.mode().name().toLowerCase(Locale.ROOT), List.copyOf(cohorts));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (checkpoints != null) {
      checkpointNow();
    }
    for (CohortWorker w : workers.values()) {
      w.thread.shutdown();
    }
    for (CohortWorker w : workers.values()) {
      try {
        w.thread.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private CohortWorker worker(String cohort) {
    return workers.computeIfAbsent(cohort, CohortWorker::new);
  }

  /** One cohort's model and the only thread that ever touches it. */
  private final class CohortWorker {
    final ExecutorService thread;
    final CohortModel model;
    final Timer scoring;
    final Counter shiftsCounter;
    volatile CohortStatus status;
    long cpuNanos;
    long lastCheckpointMillis;
    Instant lastCheckpoint;
    long shiftsReported;

    CohortWorker(String cohort) {
      this.thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bastion-model-" + cohort);
        t.setDaemon(true);
        return t;
      });
      this.model = new CohortModel(cohort, config, tuning);
      CohortCheckpoint saved = restored.remove(cohort);
      if (saved != null) {
        try {
          model.restore(saved, new ThresholdedRandomCutForestMapper());
          LOG.info("Anomaly model of cohort '{}' restored from its checkpoint ({} windows seen, {} clients){}",
              cohort, model.windowsSeen(), model.clientsTracked(), model.warmedUp() ? "; judging at once" : "");
        } catch (RuntimeException e) {
          LOG.warn("Model checkpoint of cohort '{}' cannot be restored ({}); learning starts over", cohort, e.toString());
        }
      } else {
        LOG.info("Anomaly model of cohort '{}' starts learning; it judges after {} windows",
            cohort, config.warmUpWindows());
      }
      this.lastCheckpointMillis = clock.millis();
      this.scoring = Timer.builder("bastion.detection.model.scoring")
          .description("Time the anomaly model takes to judge one window of a cohort")
          .tag("cohort", cohort)
          .register(registry);
      this.shiftsCounter = Counter.builder("bastion.detection.model.fleet.shifts")
          .description("Fleet-wide shifts detected and excused")
          .tag("cohort", cohort)
          .register(registry);
      Gauge.builder("bastion.detection.model.warmup", this, w -> w.status.warmUpProgress())
          .description("Share of its warm-up a cohort model has done (1 = judging)")
          .tag("cohort", cohort)
          .register(registry);
      Gauge.builder("bastion.detection.model.clients", this, w -> w.status.clientsTracked())
          .description("Clients with a baseline in a cohort model")
          .tag("cohort", cohort)
          .register(registry);
      publishStatus();
    }

    void judge(List<ClientWindow> windows) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      List<Detection> verdicts = model.judge(windows, responder, clock.instant());
      scoring.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
      cpuNanos += threads.getCurrentThreadCpuTime() - cpu0;
      for (Detection d : verdicts) {
        registry.counter("bastion.detection.model.verdicts",
            "cohort", d.cohort(), "action", d.wanted().name().toLowerCase(Locale.ROOT)).increment();
        LOG.info("Model verdict: client '{}' from {} in cohort '{}', grade {}: {} → {}",
            d.clientId(), d.remoteIp(), d.cohort(), String.format(Locale.ROOT, "%.2f", d.score()),
            String.join("; ", d.because()), d.wanted().name().toLowerCase(Locale.ROOT));
        responder.respond(d);
      }
      if (model.windowsSeen() % 360 == 0) {
        LOG.debug("Cohort '{}': forest score mean {} spread {} threshold {}", model.cohort(),
            model.scoreMean(), model.scoreSpread(), model.scoreThreshold());
      }
      if (model.shifts() > shiftsReported) {
        shiftsCounter.increment(model.shifts() - shiftsReported);
        shiftsReported = model.shifts();
      }
      if (checkpoints != null
          && clock.millis() - lastCheckpointMillis >= config.checkpointInterval().toMillis()) {
        checkpoint();
      }
      publishStatus();
    }

    void checkpoint() {
      if (checkpoints == null) {
        return;
      }
      lastCheckpointMillis = clock.millis();
      try {
        checkpoints.save(model.checkpoint(new ThresholdedRandomCutForestMapper()));
        lastCheckpoint = clock.instant();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot save the model checkpoint of cohort '{}': {}", model.cohort(), e.toString());
      }
      publishStatus();
    }

    void publishStatus() {
      status = new CohortStatus(model.cohort(), model.windowsSeen(), config.warmUpWindows(),
          model.warmedUp(), model.clientsTracked(), model.memoryEstimate(), model.verdicts(),
          model.shifts(), model.excusedWindows(), cpuNanos, lastCheckpoint);
    }
  }
}
