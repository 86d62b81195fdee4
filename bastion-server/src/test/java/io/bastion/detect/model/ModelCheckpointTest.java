package io.bastion.detect.model;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bastion.config.DetectionMode;
import io.bastion.config.ModelConfig;
import io.bastion.detect.ClientFeature;
import io.bastion.detect.ClientWindow;
import io.bastion.detect.sim.FleetSimulator;
import io.bastion.detect.sim.SimulationPlan;
import io.bastion.detect.sim.VirtualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Model state survives a restart; a corrupt or incompatible checkpoint is reported and ignored. */
class ModelCheckpointTest {

  private static final long MIN = 60_000L;

  @TempDir Path dir;

  private ModelConfig config(int trees) {
    return new ModelConfig(true, DetectionMode.ENFORCE, trees, 128, 60, 3, 5, dir, Duration.ofMinutes(1));
  }

  @Test
  void aReloadedModelJudgesAtOnce() throws IOException {
    FleetSimulator sim = new FleetSimulator(3, SimulationPlan.quiet(200, 10_000, 15 * MIN, List.of()));
    VirtualClock clock = new VirtualClock(sim.nowMillis());
    List<ClientWindow> last = List.of();
    try (FleetModel model = new FleetModel(config(20), new RecordingResponder(), clock, new SimpleMeterRegistry())) {
      while (sim.hasNext()) {
        last = sim.next();
        clock.set(sim.nowMillis());
        model.accept(last);
      }
      assertThat(model.status().cohorts()).allMatch(CohortStatus::warmedUp);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.filter(f -> f.toString().endsWith(ModelCheckpoints.SUFFIX))).hasSize(5);
    }

    RecordingResponder responder = new RecordingResponder();
    try (FleetModel reloaded = new FleetModel(config(20), responder, clock, new SimpleMeterRegistry())) {
      assertThat(reloaded.status().cohorts()).hasSize(5).allMatch(CohortStatus::warmedUp);
      ClientWindow victim = last.stream().filter(w -> w.cohort().equals("telemetry")).findFirst().orElseThrow();
      for (int i = 0; i < 3; i++) {
        clock.set(clock.millis() + 10_000);
        List<ClientWindow> windows = new ArrayList<>();
        for (ClientWindow w : last) {
          windows.add(w.clientId().equals(victim.clientId()) ? exploding(w, clock.millis()) : again(w, clock.millis()));
        }
        reloaded.accept(windows);
      }
      assertThat(responder.detections).extracting(d -> d.clientId()).containsExactly(victim.clientId());
    }
  }

  @Test
  void aCorruptCheckpointIsReportedAndIgnored() throws IOException {
    Path corrupt = new ModelCheckpoints(dir).fileFor("telemetry");
    Files.write(corrupt, "not a checkpoint".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ListAppender<ILoggingEvent> log = capture();
    try (FleetModel model = new FleetModel(config(20), new RecordingResponder(), new VirtualClock(0), new SimpleMeterRegistry())) {
      assertThat(model.status().cohorts()).isEmpty();
      model.accept(List.of(window("d1", "telemetry", 10_000, 3)));
      assertThat(model.status().cohorts()).singleElement().satisfies(c -> {
        assertThat(c.windowsSeen()).isEqualTo(1);
        assertThat(c.warmedUp()).isFalse();
      });
    } finally {
      release(log);
    }
    assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
        .contains(corrupt.toString()).contains("corrupt").contains("learning anew"));
  }

  @Test
  void aCheckpointOfAnotherForestShapeIsReportedAndIgnored() {
    VirtualClock clock = new VirtualClock(0);
    try (FleetModel model = new FleetModel(config(10), new RecordingResponder(), clock, new SimpleMeterRegistry())) {
      for (int i = 1; i <= 70; i++) {
        clock.set(i * 10_000L);
        model.accept(List.of(window("d1", "telemetry", i * 10_000L, 3), window("d2", "telemetry", i * 10_000L, 4)));
      }
    }
    ListAppender<ILoggingEvent> log = capture();
    try (FleetModel model = new FleetModel(config(20), new RecordingResponder(), clock, new SimpleMeterRegistry())) {
      assertThat(model.status().cohorts()).isEmpty();
    } finally {
      release(log);
    }
    assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
        .contains("incompatible").contains("trees 10").contains("configured 20"));
  }

  private static ClientWindow window(String id, String cohort, long end, double publishes) {
    double[] v = new double[ClientFeature.COUNT];
    v[ClientFeature.PUBLISHES_IN.ordinal()] = publishes;
    v[ClientFeature.BYTES_IN.ordinal()] = publishes * 200;
    v[ClientFeature.KEEPALIVE.ordinal()] = 60;
    return new ClientWindow(id, "127.0.0.1", "tcp", id, cohort, end, 10_000, v);
  }

  private static ClientWindow again(ClientWindow w, long end) {
    double[] v = w.values().clone();
    v[ClientFeature.CONNECTS.ordinal()] = 0;
    v[ClientFeature.NEW_TOPIC_SHARE.ordinal()] = 0;
    return new ClientWindow(w.clientId(), w.remoteIp(), w.listener(), w.username(), w.cohort(), end, w.windowMillis(), v);
  }

  /** A device that suddenly publishes a hundred messages a window, each to a topic it never used. */
  private static ClientWindow exploding(ClientWindow w, long end) {
    double[] v = again(w, end).values();
    v[ClientFeature.PUBLISHES_IN.ordinal()] += 100;
    v[ClientFeature.DISTINCT_TOPICS.ordinal()] += 100;
    v[ClientFeature.NEW_TOPIC_SHARE.ordinal()] = 0.99;
    v[ClientFeature.BYTES_IN.ordinal()] += 100 * 300;
    return new ClientWindow(w.clientId(), w.remoteIp(), w.listener(), w.username(), w.cohort(), end, w.windowMillis(), v);
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(ModelCheckpoints.class)).addAppender(appender);
    return appender;
  }

  private static void release(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(ModelCheckpoints.class)).detachAppender(appender);
  }
}
