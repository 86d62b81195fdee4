package io.bastion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bastion.testing.BastionProcess;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.RawMqttClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged command: SIGTERM drains sessions and logs each one's end. */
class LifecycleIT {

  private static ProxyFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ProxyFixture.start(2);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void sigtermDisconnectsSessionsAndExits() throws Exception {
    try (BastionProcess bastion = BastionProcess.start(fixture::configYaml);
        RawMqttClient v5 = new RawMqttClient(bastion.port());
        RawMqttClient v3 = new RawMqttClient(bastion.port())) {
      v5.send(new RawMqttClient.Connect(5).clientId("drained-5").build());
      assertThat(v5.readPacket()).startsWith(0x20);
      v3.send(new RawMqttClient.Connect(4).clientId("drained-3").build());
      assertThat(v3.readPacket()).containsExactly(0x20, 0x02, 0x00, 0x00);

      bastion.terminate();

      // MQTT 5 is told why; 3.1.1 has no server DISCONNECT and is just closed
      assertThat(v5.readPacket()).containsExactly(0xE0, 0x02, 0x8B, 0x00);
      assertThat(v5.readPacket()).isNull();
      assertThat(v3.closedWithin(10_000)).isTrue();
      assertThat(bastion.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
      String log = bastion.output();
      assertThat(log).contains("transport: ");
      assertThat(log).containsPattern("session end client-id=drained-5 remote=\\S+ listener=mqtt broker=brokers/broker-\\d.*reason=\"shutdown\"");
      assertThat(log).containsPattern("session end client-id=drained-3 .*bytes-in=\\d+ bytes-out=4 ");
    }
  }

  @Test
  void newConnectionsAreRefusedOnceStopping() throws Exception {
    try (BastionProcess bastion = BastionProcess.start(fixture::configYaml);
        RawMqttClient held = new RawMqttClient(bastion.port())) {
      held.send(new RawMqttClient.Connect(4).clientId("held").build());
      assertThat(held.readPacket()).containsExactly(0x20, 0x02, 0x00, 0x00);
      bastion.terminate();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", bastion.port())) {
          return false;
        } catch (java.io.IOException refused) {
          return true;
        }
      });
      assertThat(bastion.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
    }
  }
}
