package io.bastion.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.bastion.testing.ProxyFixture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Brokers named by host name are resolved by the asynchronous resolver, never on an event loop. */
class HostnameBrokerIT {

  private ProxyFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void brokerNamedByHostNameTakesSessionsAndAnUnknownNameFailsOver() throws Exception {
    fixture = ProxyFixture.startYaml(1, Path.of("."), f -> """
        listeners:
          - { name: mqtt, bind: 127.0.0.1, port: 0 }
        pools:
          - name: brokers
            strategy: client-id-hash
            health: { interval: 500ms, timeout: 400ms, rise: 1, fall: 2 }
            brokers:
              - { id: named, host: localhost, port: %d }
              - { id: unknown, host: no-such-broker.invalid, port: %d }
        admin:
          port: 0
        """.formatted(f.broker(0).port(), f.broker(0).port()));
    BrokerPool pool = fixture.bastion().backends().pool("brokers");
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.broker("named").healthy() && !pool.broker("unknown").healthy());
    for (int i = 0; i < 20; i++) {
      Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("named-" + i)
          .serverHost("127.0.0.1").serverPort(fixture.port()).buildBlocking();
      Mqtt5ConnAck ack = client.connect();
      assertThat(ack.getReasonCode().isError()).as("client %d", i).isFalse();
      client.disconnect();
    }
    assertThat(pool.broker("named").sessionsPlaced()).isEqualTo(20);
  }
}
