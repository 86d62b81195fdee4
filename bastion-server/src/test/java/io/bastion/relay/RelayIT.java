package io.bastion.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real clients publish and subscribe through Bastion to real brokers. */
class RelayIT {

  private static ProxyFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ProxyFixture.start(3);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static Mqtt5BlockingClient v5(String id) {
    return MqttClient.builder().useMqttVersion5().identifier(id)
        .serverHost("127.0.0.1").serverPort(fixture.port()).buildBlocking();
  }

  private static Mqtt3BlockingClient v3(String id) {
    return MqttClient.builder().useMqttVersion3().identifier(id)
        .serverHost("127.0.0.1").serverPort(fixture.port()).buildBlocking();
  }

  @ParameterizedTest
  @EnumSource(MqttQos.class)
  void mqtt5RoundTripAtEveryQos(MqttQos qos) throws Exception {
    String id = "v5-roundtrip-" + qos.getCode();
    Mqtt5BlockingClient client = v5(id);
    client.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client.subscribeWith().topicFilter("rt/" + id + "/#").qos(qos).send();
      for (int i = 0; i < 20; i++) {
        client.publishWith().topic("rt/" + id + "/" + i).qos(qos)
            .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
      }
      for (int i = 0; i < 20; i++) {
        Optional<Mqtt5Publish> m = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(m).isPresent();
        assertThat(m.get().getQos()).isEqualTo(qos);
        assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("m" + i);
      }
    } finally {
      client.disconnect();
    }
    // lifecycle events reach the broker's tracker asynchronously
    await().atMost(Duration.ofSeconds(5)).until(() -> fixture.broker(fixture.homeOf(id)).connectCount(id) == 1);
  }

  @ParameterizedTest
  @EnumSource(MqttQos.class)
  void mqtt311RoundTripAtEveryQos(MqttQos qos) throws Exception {
    String id = "v3-roundtrip-" + qos.getCode();
    Mqtt3BlockingClient client = v3(id);
    client.connect();
    try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client.subscribeWith().topicFilter("rt3/" + id).qos(qos).send();
      byte[] big = new byte[200_000];
      client.publishWith().topic("rt3/" + id).qos(qos).payload(big).send();
      Optional<Mqtt3Publish> m = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(m).isPresent();
      assertThat(m.get().getPayloadAsBytes()).hasSize(big.length);
    } finally {
      client.disconnect();
    }
  }

  @Test
  void retainedMessageReachesALaterSubscriber() throws Exception {
    String publisherId = "retain-pub";
    Mqtt5BlockingClient publisher = v5(publisherId);
    publisher.connect();
    publisher.publishWith().topic("retained/" + publisherId).retain(true).qos(MqttQos.AT_LEAST_ONCE)
        .payload("kept".getBytes(StandardCharsets.UTF_8)).send();
    publisher.disconnect();

    Mqtt5BlockingClient subscriber = v5(fixture.neighbourOf(publisherId, "retain-sub-"));
    subscriber.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
      subscriber.subscribeWith().topicFilter("retained/" + publisherId).qos(MqttQos.AT_LEAST_ONCE).send();
      Optional<Mqtt5Publish> m = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(m).isPresent();
      assertThat(m.get().isRetain()).isTrue();
      assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("kept");
    } finally {
      subscriber.disconnect();
    }
  }

  @Test
  void willIsPublishedWhenAClientVanishesWithoutDisconnect() throws Exception {
    String dyingId = "will-dying";
    Mqtt3BlockingClient watcher = v3(fixture.neighbourOf(dyingId, "will-watcher-"));
    watcher.connect();
    try (Mqtt3BlockingClient.Mqtt3Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
      watcher.subscribeWith().topicFilter("wills/#").qos(MqttQos.AT_LEAST_ONCE).send();
      try (RawMqttClient dying = new RawMqttClient(fixture.port())) {
        dying.send(new RawMqttClient.Connect(4).clientId(dyingId).will("wills/" + dyingId, "gone").build());
        assertThat(dying.readPacket()).containsExactly(0x20, 0x02, 0x00, 0x00);
      } // socket closed without DISCONNECT
      Optional<Mqtt3Publish> will = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(will).isPresent();
      assertThat(will.get().getTopic().toString()).isEqualTo("wills/" + dyingId);
      assertThat(new String(will.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("gone");
    } finally {
      watcher.disconnect();
    }
  }

  @Test
  void persistentSessionKeepsQueuedMessagesAcrossReconnects() throws Exception {
    String id = "persistent-1";
    Mqtt5BlockingClient client = v5(id);
    Mqtt5ConnAck first = client.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
    assertThat(first.isSessionPresent()).isFalse();
    client.subscribeWith().topicFilter("queued/" + id).qos(MqttQos.AT_LEAST_ONCE).send();
    client.disconnect();

    Mqtt5BlockingClient sender = v5(fixture.neighbourOf(id, "persistent-sender-"));
    sender.connect();
    for (int i = 0; i < 5; i++) {
      sender.publishWith().topic("queued/" + id).qos(MqttQos.AT_LEAST_ONCE)
          .payload(("q" + i).getBytes(StandardCharsets.UTF_8)).send();
    }
    sender.disconnect();

    Mqtt5BlockingClient again = v5(id);
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
      Mqtt5ConnAck second = again.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
      assertThat(second.isSessionPresent()).isTrue();
      for (int i = 0; i < 5; i++) {
        Optional<Mqtt5Publish> m = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(m).isPresent();
        assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("q" + i);
      }
    } finally {
      again.disconnect();
    }
  }

  @Test
  void mqtt311PersistentSessionWithHiveMqClient() throws Exception {
    String id = "persistent-311";
    Mqtt3BlockingClient client = v3(id);
    client.connectWith().cleanSession(false).send();
    client.subscribeWith().topicFilter("queued3/" + id).qos(MqttQos.EXACTLY_ONCE).send();
    client.disconnect();
    Mqtt3BlockingClient sender = v3(fixture.neighbourOf(id, "persistent-311-sender-"));
    sender.connect();
    sender.publishWith().topic("queued3/" + id).qos(MqttQos.EXACTLY_ONCE)
        .payload("later".getBytes(StandardCharsets.UTF_8)).send();
    sender.disconnect();
    Mqtt3BlockingClient again = v3(id);
    try (Mqtt3BlockingClient.Mqtt3Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
      Mqtt3ConnAck ack = again.connectWith().cleanSession(false).send();
      assertThat(ack.isSessionPresent()).isTrue();
      Optional<Mqtt3Publish> m = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(m).isPresent();
      assertThat(m.get().getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
    } finally {
      again.disconnect();
    }
  }

  @Test
  void pahoMqtt311ClientRoundTrip() throws Exception {
    String id = "paho-v3";
    org.eclipse.paho.client.mqttv3.MqttClient client =
        new org.eclipse.paho.client.mqttv3.MqttClient("tcp://127.0.0.1:" + fixture.port(), id, new MemoryPersistence());
    List<String> received = new CopyOnWriteArrayList<>();
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    client.connect(options);
    try {
      client.subscribe("paho3/#", 2, (topic, message) -> received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8)));
      for (int qos = 0; qos <= 2; qos++) {
        client.publish("paho3/q" + qos, ("hello" + qos).getBytes(StandardCharsets.UTF_8), qos, false);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
      assertThat(received).containsExactlyInAnyOrder("paho3/q0=hello0", "paho3/q1=hello1", "paho3/q2=hello2");
    } finally {
      client.disconnect();
      client.close();
    }
  }

  @Test
  void pahoMqtt5ClientRoundTrip() throws Exception {
    String id = "paho-v5";
    org.eclipse.paho.mqttv5.client.MqttClient client =
        new org.eclipse.paho.mqttv5.client.MqttClient("tcp://127.0.0.1:" + fixture.port(), id,
            new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    List<String> received = new CopyOnWriteArrayList<>();
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    client.connect(options);
    try {
      client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
          new org.eclipse.paho.mqttv5.common.MqttSubscription("paho5/#", 2)},
          new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
              (topic, message) -> received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8))});
      for (int qos = 0; qos <= 2; qos++) {
        client.publish("paho5/q" + qos, ("hi" + qos).getBytes(StandardCharsets.UTF_8), qos, false);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
      assertThat(received).containsExactlyInAnyOrder("paho5/q0=hi0", "paho5/q1=hi1", "paho5/q2=hi2");
    } finally {
      client.disconnect();
      client.close();
    }
  }

  @Test
  void sessionEndsOnBothSidesWhenTheClientDisconnects() throws Exception {
    String id = "ends-cleanly";
    Mqtt5BlockingClient client = v5(id);
    client.connect();
    int home = fixture.homeOf(id);
    await().atMost(Duration.ofSeconds(5)).until(() -> fixture.broker(home).isConnected(id));
    await().atMost(Duration.ofSeconds(5)).until(() -> fixture.bastion().sessions().sessions().stream()
        .anyMatch(s -> s.clientId().equals(id)));
    client.disconnect();
    await().atMost(Duration.ofSeconds(5)).until(() -> !fixture.broker(home).isConnected(id));
    await().atMost(Duration.ofSeconds(5)).until(() -> fixture.bastion().sessions().sessions().stream()
        .noneMatch(s -> s.clientId().equals(id)));
  }
}
