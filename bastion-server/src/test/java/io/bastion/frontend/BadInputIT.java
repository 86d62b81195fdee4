package io.bastion.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad input ends only the connection that sent it, with the answer its protocol level
 * defines, while a well-behaved client keeps publishing through the same Bastion.
 */
class BadInputIT {

  private static final int MAX_PACKET = 4096;
  private static ProxyFixture fixture;
  private Mqtt5BlockingClient bystander;
  private Mqtt5BlockingClient.Mqtt5Publishes bystanderInbox;

  @BeforeAll
  static void start() throws Exception {
    fixture = ProxyFixture.start(3, Duration.ofMillis(500), MAX_PACKET);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void connectBystander() {
    bystander = MqttClient.builder().useMqttVersion5().identifier("bystander")
        .serverHost("127.0.0.1").serverPort(fixture.port()).buildBlocking();
    bystander.connect();
    bystanderInbox = bystander.publishes(MqttGlobalPublishFilter.ALL);
    bystander.subscribeWith().topicFilter("bystander/#").qos(MqttQos.AT_LEAST_ONCE).send();
    assertBystanderStillWorks();
  }

  @AfterEach
  void checkBystander() {
    assertBystanderStillWorks();
    bystanderInbox.close();
    bystander.disconnect();
  }

  private int sequence;

  private void assertBystanderStillWorks() {
    String payload = "ping-" + sequence++;
    bystander.publishWith().topic("bystander/ping").qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    try {
      Optional<Mqtt5Publish> m = bystanderInbox.receive(10, TimeUnit.SECONDS);
      assertThat(m).isPresent();
      assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo(payload);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void garbageFirstPacketIsClosedWithoutAnswer() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(raw.readPacket()).isNull();
    }
  }

  @Test
  void firstPacketOtherThanConnectIsClosed() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send(RawMqttClient.publish(4, "a/b", new byte[] {1}));
      assertThat(raw.readPacket()).isNull();
    }
  }

  @Test
  void mqtt311ConnectWithReservedFlagIsClosedWithoutConnack() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send(new RawMqttClient.Connect(4).clientId("reserved-311").flags(0x03).build());
      assertThat(raw.readPacket()).isNull();
    }
  }

  @Test
  void mqtt5ConnectWithReservedFlagGetsMalformedPacket() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send(new RawMqttClient.Connect(5).clientId("reserved-5").flags(0x03).build());
      assertThat(raw.readPacket()).containsExactly(0x20, 0x03, 0x00, 0x81, 0x00);
      assertThat(raw.readPacket()).isNull();
    }
  }

  @Test
  void unknownProtocolLevelGetsUnacceptableProtocolVersion() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      byte[] connect = new RawMqttClient.Connect(4).clientId("level-9").build();
      connect[8] = 9; // protocol level byte
      raw.send(connect);
      assertThat(raw.readPacket()).containsExactly(0x20, 0x02, 0x00, 0x01);
      assertThat(raw.readPacket()).isNull();
    }
  }

  @Test
  void mqtt311EmptyClientIdWithoutCleanSessionIsRejected() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send(new RawMqttClient.Connect(4).clientId("").flags(0x00).build());
      assertThat(raw.readPacket()).containsExactly(0x20, 0x02, 0x00, 0x02);
      assertThat(raw.readPacket()).isNull();
    }
  }

  @Test
  void oversizedMqtt5ConnectGetsPacketTooLarge() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send(new RawMqttClient.Connect(5).clientId("too-big").padding(MAX_PACKET * 2).build());
      assertThat(raw.readPacket()).containsExactly(0x20, 0x03, 0x00, 0x95, 0x00);
      assertThat(raw.readPacket()).isNull();
    }
  }

  @Test
  void oversizedPublishAfterConnectEndsTheSession() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send(new RawMqttClient.Connect(5).clientId("big-publisher").build());
      assertThat(raw.readPacket()[0]).isEqualTo((byte) 0x20);
      raw.send(RawMqttClient.publish(5, "big", new byte[MAX_PACKET * 2]));
      // MQTT 5: DISCONNECT "packet too large", then the connection closes
      assertThat(raw.readPacket()).containsExactly(0xE0, 0x02, 0x95, 0x00);
      assertThat(raw.readPacket()).isNull();
    }
  }

  @Test
  void oversizedMqtt311PublishClosesTheConnection() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send(new RawMqttClient.Connect(4).clientId("big-311").build());
      assertThat(raw.readPacket()).containsExactly(0x20, 0x02, 0x00, 0x00);
      raw.send(RawMqttClient.publish(4, "big", new byte[MAX_PACKET * 2]));
      assertThat(raw.readPacket()).isNull();
    }
  }

  @Test
  void secondConnectIsAProtocolError() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      byte[] connect = new RawMqttClient.Connect(5).clientId("twice").build();
      raw.send(connect);
      assertThat(raw.readPacket()[0]).isEqualTo((byte) 0x20);
      raw.send(connect);
      assertThat(raw.readPacket()).containsExactly(0xE0, 0x02, 0x82, 0x00);
      assertThat(raw.readPacket()).isNull();
    }
  }

  @Test
  void slowConnectIsClosedAfterTheConnectTimeout() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      byte[] connect = new RawMqttClient.Connect(4).clientId("slowloris").build();
      raw.send(java.util.Arrays.copyOf(connect, 5)); // a CONNECT that never completes
      long start = System.nanoTime();
      assertThat(raw.closedWithin(5_000)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(300));
    }
  }

  @Test
  void silentConnectionIsClosedAfterTheConnectTimeout() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      assertThat(raw.closedWithin(5_000)).isTrue();
    }
  }
}
