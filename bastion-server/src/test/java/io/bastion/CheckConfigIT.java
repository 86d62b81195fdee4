package io.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.testing.BastionProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bastion check-config} names the key and line of every error and exits non-zero. */
class CheckConfigIT {

  @TempDir Path dir;

  private BastionProcess.Result check(String yaml) throws Exception {
    Path file = dir.resolve("bastion.yaml");
    Files.writeString(file, yaml);
    return BastionProcess.run(Duration.ofSeconds(30), "check-config", file.toString());
  }

  private static final String POOLS = """
      pools:
        - name: main
          brokers:
            - host: 127.0.0.1
              port: 1884
      """;

  @Test
  void validConfigPasses() throws Exception {
    BastionProcess.Result r = check("""
        listeners:
          - name: mqtt
            port: 1883
        """ + POOLS);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("OK");
  }

  @Test
  void unknownKeyIsReportedWithItsLine() throws Exception {
    BastionProcess.Result r = check("""
        listeners:
          - name: mqtt
            port: 1883
            conect-timeout: 5s
        """ + POOLS);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("line 4").contains("listeners[0].conect-timeout").contains("connect-timeout");
  }

  @Test
  void missingBrokerPortIsReportedWithItsLine() throws Exception {
    BastionProcess.Result r = check("""
        listeners:
          - name: mqtt
            port: 1883
        pools:
          - name: main
            brokers:
              - host: 127.0.0.1
        """);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("line 7").contains("pools[0].brokers[0].port");
  }

  @Test
  void duplicateListenerPortIsReportedWithItsLine() throws Exception {
    BastionProcess.Result r = check("""
        listeners:
          - name: a
            port: 1883
          - name: b
            port: 1883
        """ + POOLS);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("line 5").contains("listeners[1].port").contains("'a'");
  }

  @Test
  void everyErrorIsPrinted() throws Exception {
    BastionProcess.Result r = check("""
        listeners:
          - name: a
            port: 99999
        pools:
          - name: main
            strategy: fastest
            brokers:
              - host: 127.0.0.1
        """);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("listeners[0].port").contains("pools[0].strategy")
        .contains("pools[0].brokers[0].port").contains("3 error(s)");
  }
}
