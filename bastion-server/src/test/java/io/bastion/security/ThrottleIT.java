package io.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import io.bastion.relay.Session;
import io.bastion.testing.MqttClients;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.RawMqttClient;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A client publishing over its rate is paused (not buffered), or disconnected per policy. */
class ThrottleIT {

  private static String limits(String onExcess) {
    return "security:\n  clients:\n    publish-rate: 20\n    on-excess: " + onExcess + "\n"
        + "    max-subscriptions: 2\n";
  }

  @Test
  void anOverRatePublisherIsPausedNotBuffered() throws Exception {
    try (ProxyFixture fixture = ProxyFixture.startWithYaml(1, limits("pause"))) {
      AtomicInteger received = new AtomicInteger();
      Mqtt5BlockingClient sub = MqttClients.mqtt5(fixture.port(), "counter");
      sub.connect();
      sub.toAsync().subscribeWith().topicFilter("flood/#").callback(p -> received.incrementAndGet()).send().join();
      AtomicBoolean sending = new AtomicBoolean(true);
      AtomicInteger written = new AtomicInteger();
      byte[] payload = new byte[1024];
      byte[] publish = RawMqttClient.publish(4, "flood/x", payload);
      try (Socket raw = new Socket("127.0.0.1", fixture.port())) {
        OutputStream out = raw.getOutputStream();
        out.write(new RawMqttClient.Connect(4).clientId("flooder").build());
        out.flush();
        raw.getInputStream().readNBytes(4);
        Thread writer = new Thread(() -> {
          try {
            while (sending.get() && written.get() < 100_000) {
              out.write(publish);
              written.incrementAndGet();
            }
          } catch (java.io.IOException e) {
            // closed at the end of the test
          }
        }, "flooder");
        long start = System.nanoTime();
        writer.start();
        Session flooder = await().atMost(Duration.ofSeconds(5)).until(() -> fixture.bastion().sessions()
            .sessions().stream().filter(s -> s.clientId().equals("flooder")).findFirst().orElse(null),
            s -> s != null && s.throttled());
        await().atMost(Duration.ofSeconds(5)).until(() -> !flooder.clientReading());
        Thread.sleep(2000); // let the flood go on against a paused reader
        double seconds = (System.nanoTime() - start) / 1e9;
        sending.set(false);
        raw.close();
        writer.join(5000);
        // 20/s with a burst of 20, plus what one socket read already held
        assertThat(received.get()).isLessThan((int) (20 * seconds + 20 + 200));
        assertThat(written.get()).as("the flooder got ahead of what was forwarded: it waits in its own socket")
            .isGreaterThan(received.get());
        assertThat(fixture.bastion().events().violations(Violation.PUBLISH_THROTTLED)).isPositive();
      } finally {
        MqttClients.disconnectQuietly(sub);
      }
    }
  }

  @Test
  void disconnectPolicyEndsTheSessionWithMessageRateTooHigh() throws Exception {
    try (ProxyFixture fixture = ProxyFixture.startWithYaml(1, limits("disconnect"))) {
      AtomicReference<Throwable> cause = new AtomicReference<>();
      Mqtt5Client c = MqttClient.builder().identifier("fast").serverHost("127.0.0.1").serverPort(fixture.port())
          .useMqttVersion5().addDisconnectedListener(ctx -> cause.compareAndSet(null, ctx.getCause())).build();
      c.toBlocking().connect();
      for (int i = 0; i < 100 && cause.get() == null; i++) {
        c.toAsync().publishWith().topic("fast/x").qos(MqttQos.AT_MOST_ONCE).payload(new byte[] {1}).send();
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> cause.get() != null);
      assertThat(((Mqtt5DisconnectException) cause.get()).getMqttMessage().getReasonCode().getCode())
          .isEqualTo(0x96);
      // another client is not affected, and the subscription limit answers 0x97
      Mqtt5BlockingClient other = MqttClients.mqtt5(fixture.port(), "calm");
      other.connect();
      other.subscribeWith().topicFilter("a").send();
      other.subscribeWith().topicFilter("b").send();
      Throwable t = catchThrowable(() -> other.subscribeWith().topicFilter("c").send());
      assertThat(t).isInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException.class);
      assertThat(((com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException) t).getMqttMessage()
          .getReasonCodes().get(0).getCode()).isEqualTo(0x97);
      MqttClients.disconnectQuietly(other);
    }
  }
}
