package io.bastion.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.demo.EmbeddedBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A short run of the load generator against a real broker (HiveMQ CE, embedded): messages are
 * delivered and sessions are accepted, without a failure. It checks the tool works; it measures
 * nothing.
 */
class LoadGeneratorSmokeTest {

  @TempDir static Path dir;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start("bench-smoke", dir, 0);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.stop();
    }
  }

  private static <T> T parse(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }

  private String target() {
    return "127.0.0.1:" + broker.port();
  }

  @Test
  void throughputDeliversMessagesQos0AndQos1() throws Exception {
    for (String qos : new String[] {"0", "1"}) {
      ThroughputCommand cmd = parse(new ThroughputCommand(), "--target", target(),
          "--source-addresses", "4", "--clients", "4", "--qos", qos,
          "--warmup", "200ms", "--duration", "800ms");
      Report report = cmd.run();
      assertThat((Long) report.get("delivered")).as("delivered, QoS " + qos).isPositive();
      assertThat(cmd.failureCount()).as(String.valueOf(report.get("failure_reasons"))).isZero();
    }
  }

  @Test
  void connectStormAcceptsEverySession() throws Exception {
    ConnectCommand cmd = parse(new ConnectCommand(), "--target", target(),
        "--source-addresses", "4", "--connections", "200", "--concurrency", "50", "--hold", "300ms");
    Report report = cmd.run();
    assertThat(report.get("connected")).isEqualTo(200L);
    assertThat(cmd.failureCount()).as(String.valueOf(report.get("failure_reasons"))).isZero();
  }

  @Test
  void latencyRecordsSamples() throws Exception {
    LatencyCommand cmd = parse(new LatencyCommand(), "--target", target(),
        "--clients", "2", "--rate", "500", "--warmup", "200ms", "--duration", "600ms");
    Report report = cmd.run();
    assertThat((Long) report.get("samples")).isPositive();
    assertThat(report.get("failures")).isEqualTo(0L);
  }
}
