package io.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import io.bastion.config.AccessEntryConfig.Kind;
import io.bastion.testing.MqttClients;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.RawMqttClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each edge mechanism against real clients and a real broker: the refused client gets the exact
 * code of its protocol level while an allowed client keeps working.
 */
class SecurityIT {

  private static final String SECRET = JwtAuthenticatorTest.SECRET;
  private static ProxyFixture fixture;
  private static Path passwd;
  private static Mqtt5BlockingClient watcher;

  static String securityYaml(String mode) {
    return "security:\n"
        + "  auth:\n"
        + "    listeners:\n      mqtt: " + mode + "\n"
        + "    password-file: " + passwd + "\n"
        + "    jwt:\n      hmac-secret: " + SECRET + "\n"
        + "    failure-delay: 100ms\n    max-failure-delay: 400ms\n"
        + "  blocklist:\n    - client-id: \"banned-*\"\n      reason: test ban\n"
        + "  acl:\n    rules:\n"
        + "      - user: admin\n        publish: [\"#\"]\n        subscribe: [\"#\"]\n"
        + "      - publish: [\"public/#\", \"devices/%c/#\"]\n        subscribe: [\"public/#\", \"devices/%c/#\"]\n"
        + "  clients:\n    broad-wildcards: [admin]\n";
  }

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("bastion-security-it");
    passwd = dir.resolve("passwd");
    Files.write(passwd, List.of(
        "alice:" + PasswordHasher.hash("alice-pw".toCharArray(), 1000),
        "admin:" + PasswordHasher.hash("admin-pw".toCharArray(), 1000) + ":ops"));
    fixture = ProxyFixture.startWithYaml(1, securityYaml("optional"));
    watcher = admin("watcher");
  }

  @AfterAll
  static void stop() {
    MqttClients.disconnectQuietly(watcher);
    if (fixture != null) {
      fixture.close();
    }
  }

  static Mqtt5BlockingClient admin(String id) {
    Mqtt5BlockingClient c = MqttClients.mqtt5(fixture.port(), id);
    c.connectWith().simpleAuth().username("admin").password("admin-pw".getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send();
    return c;
  }

  /** The allowed client keeps working: a round trip through Bastion and the broker. */
  private static void allowedClientStillWorks() {
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
      String topic = "public/alive/" + System.nanoTime();
      watcher.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
      watcher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
      assertThat(publishes.receive(5, java.util.concurrent.TimeUnit.SECONDS)).isPresent();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static int v5ConnackCode(Mqtt5BlockingClient c, String user, String password) {
    Throwable t = catchThrowable(() -> {
      var connect = c.connectWith();
      if (user != null) {
        connect.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
      }
      connect.send();
    });
    assertThat(t).isInstanceOf(Mqtt5ConnAckException.class);
    return ((Mqtt5ConnAckException) t).getMqttMessage().getReasonCode().getCode();
  }

  private static int v3ConnackCode(String clientId, String user, String password) throws Exception {
    var paho = new org.eclipse.paho.client.mqttv3.MqttClient("tcp://127.0.0.1:" + fixture.port(), clientId,
        new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setConnectionTimeout(10);
    if (user != null) {
      options.setUserName(user);
      options.setPassword(password.toCharArray());
    }
    try {
      paho.connect(options);
      paho.disconnect();
      return 0;
    } catch (MqttException e) {
      return e.getReasonCode();
    } finally {
      paho.close();
    }
  }

  @Test
  void blockedClientIdsGetBanned() throws Exception {
    assertThat(v5ConnackCode(MqttClients.mqtt5(fixture.port(), "banned-5"), null, null)).isEqualTo(0x8A);
    assertThat(v3ConnackCode("banned-3", null, null)).isEqualTo(0x05);
    allowedClientStillWorks();
  }

  @Test
  void aClientBlockedWhileConnectedIsToldWhy() throws Exception {
    AtomicReference<Throwable> cause = new AtomicReference<>();
    Mqtt5Client victim = MqttClient.builder().identifier("victim-1").serverHost("127.0.0.1")
        .serverPort(fixture.port()).useMqttVersion5()
        .addDisconnectedListener(ctx -> cause.set(ctx.getCause())).build();
    victim.toBlocking().connect();
    Blocklist.Entry e = fixture.bastion().blocklist().add(Kind.CLIENT_ID, "victim-1", "abuse", null, "test");
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> cause.get() != null);
      assertThat(cause.get()).isInstanceOf(Mqtt5DisconnectException.class);
      assertThat(((Mqtt5DisconnectException) cause.get()).getMqttMessage().getReasonCode().getCode())
          .isEqualTo(0x98);
      assertThat(v5ConnackCode(MqttClients.mqtt5(fixture.port(), "victim-1"), null, null)).isEqualTo(0x8A);
    } finally {
      fixture.bastion().blocklist().remove(e.kind(), e.value());
    }
    allowedClientStillWorks();
  }

  @Test
  void passwordsAndTokens() throws Exception {
    assertThat(v5ConnackCode(MqttClients.mqtt5(fixture.port(), "pw-5"), "alice", "wrong")).isEqualTo(0x86);
    assertThat(v3ConnackCode("pw-3", "alice", "wrong")).isEqualTo(0x04);
    assertThat(v3ConnackCode("pw-3", "alice", "alice-pw")).isZero();
    Mqtt5BlockingClient alice = MqttClients.mqtt5(fixture.port(), "pw-ok");
    alice.connectWith().simpleAuth().username("alice").password("alice-pw".getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send();
    MqttClients.disconnectQuietly(alice);
    String token = JwtAuthenticatorTest.token(JWSAlgorithm.HS256,
        new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)),
        new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("admin").expirationTime(
            new java.util.Date(System.currentTimeMillis() + 60_000)).build());
    Mqtt5BlockingClient jwtClient = MqttClients.mqtt5(fixture.port(), "jwt-ok");
    jwtClient.connectWith().simpleAuth().username("ignored").password(token.getBytes(StandardCharsets.US_ASCII))
        .applySimpleAuth().send();
    // the token's subject is the identity: admin may subscribe to '#'
    Mqtt5SubAck ack = jwtClient.subscribeWith().topicFilter("#").send();
    assertThat(ack.getReasonCodes()).singleElement().satisfies(code -> assertThat(code.isError()).isFalse());
    MqttClients.disconnectQuietly(jwtClient);
    allowedClientStillWorks();
  }

  @Test
  void repeatedFailuresAreAnsweredLater() {
    long start = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      v5ConnackCode(MqttClients.mqtt5(fixture.port(), "brute-" + i), "bruteforced", "guess" + i);
    }
    // 100 + 200 + 400 + 400 ms at least
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1100));
  }

  @Test
  void willTopicsAreCheckedAtConnect() throws Exception {
    Mqtt5BlockingClient c = MqttClients.mqtt5(fixture.port(), "will-5");
    Throwable t = catchThrowable(() -> c.connectWith().willPublish().topic("secret/will").payload(new byte[] {1})
        .applyWillPublish().send());
    assertThat(((Mqtt5ConnAckException) t).getMqttMessage().getReasonCode().getCode()).isEqualTo(0x87);
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send(new RawMqttClient.Connect(4).clientId("will-3").will("secret/will", "x").build());
      assertThat(raw.readPacket()).containsExactly(0x20, 2, 0, 5);
    }
    allowedClientStillWorks();
  }

  @Test
  void deniedPublishesAreAnsweredWithNotAuthorizedOnMqtt5() {
    Mqtt5BlockingClient c = MqttClients.mqtt5(fixture.port(), "pub-5");
    c.connect();
    try {
      assertThat(publishCode(c, "secret/x", MqttQos.AT_LEAST_ONCE)).isEqualTo(0x87);
      assertThat(publishCode(c, "secret/x", MqttQos.EXACTLY_ONCE)).isEqualTo(0x87);
      // the session goes on: an allowed topic is accepted
      assertThat(publishCode(c, "public/x", MqttQos.AT_LEAST_ONCE)).isLessThan(0x80);
      assertThat(publishCode(c, "devices/pub-5/temp", MqttQos.AT_LEAST_ONCE)).isLessThan(0x80);
      assertThat(publishCode(c, "devices/other/temp", MqttQos.AT_LEAST_ONCE)).isEqualTo(0x87);
    } finally {
      MqttClients.disconnectQuietly(c);
    }
    assertThat(fixture.bastion().events().violations(Violation.PUBLISH_DENIED)).isPositive();
  }

  @Test
  void deniedPublishesOnMqtt311AreDroppedAndAcknowledged() throws Exception {
    Mqtt3BlockingClient c = MqttClients.mqtt3(fixture.port(), "pub-3");
    c.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes seen = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
      watcher.subscribeWith().topicFilter("secret/v3").send();
      c.publishWith().topic("secret/v3").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
      c.publishWith().topic("secret/v3").qos(MqttQos.EXACTLY_ONCE).payload(new byte[] {2}).send();
      assertThat(seen.receive(500, java.util.concurrent.TimeUnit.MILLISECONDS)).isEmpty();
    } finally {
      MqttClients.disconnectQuietly(c);
    }
  }

  private static int publishCode(Mqtt5BlockingClient c, String topic, MqttQos qos) {
    try {
      Mqtt5PublishResult r = c.publishWith().topic(topic).qos(qos).payload(new byte[] {1}).send();
      if (r instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1) {
        return q1.getPubAck().getReasonCode().getCode();
      }
      if (r instanceof Mqtt5PublishResult.Mqtt5Qos2Result q2) {
        return q2.getPubRec().getReasonCode().getCode();
      }
      return 0;
    } catch (Mqtt5PubAckException e) {
      return e.getMqttMessage().getReasonCode().getCode();
    } catch (Mqtt5PubRecException e) {
      return e.getMqttMessage().getReasonCode().getCode();
    }
  }

  @Test
  void mixedSubscribeGetsMergedSubackAndOnlyAllowedMessages() throws Exception {
    Mqtt5BlockingClient c = MqttClients.mqtt5(fixture.port(), "sub-5");
    c.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
      List<Integer> codes;
      try {
        Mqtt5SubAck ack = c.subscribeWith().addSubscription().topicFilter("public/#").qos(MqttQos.AT_LEAST_ONCE)
            .applySubscription().addSubscription().topicFilter("secret/#").qos(MqttQos.AT_LEAST_ONCE)
            .applySubscription().send();
        codes = ack.getReasonCodes().stream().map(Mqtt5SubAckReasonCode::getCode).toList();
      } catch (Mqtt5SubAckException e) {
        codes = e.getMqttMessage().getReasonCodes().stream().map(Mqtt5SubAckReasonCode::getCode).toList();
      }
      assertThat(codes).containsExactly(1, 0x87);
      watcher.publishWith().topic("secret/a").qos(MqttQos.AT_LEAST_ONCE).payload("no".getBytes()).send();
      watcher.publishWith().topic("public/a").qos(MqttQos.AT_LEAST_ONCE).payload("yes".getBytes()).send();
      Mqtt5Publish got = publishes.receive(5, java.util.concurrent.TimeUnit.SECONDS).orElseThrow();
      assertThat(got.getTopic().toString()).isEqualTo("public/a");
      assertThat(publishes.receive(300, java.util.concurrent.TimeUnit.MILLISECONDS)).isEmpty();
    } finally {
      MqttClients.disconnectQuietly(c);
    }
  }

  @Test
  void subscribeCodesOnMqtt311AndAllDeniedAnsweredByBastion() throws Exception {
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send(new RawMqttClient.Connect(4).clientId("sub-3").build());
      assertThat(raw.readPacket()).containsExactly(0x20, 2, 0, 0);
      raw.send(subscribe(4, 11, "secret/#", "public/#", "#"));
      assertThat(raw.readPacket()).containsExactly(0x90, 5, 0, 11, 0x80, 1, 0x80);
      raw.send(subscribe(4, 12, "secret/only"));
      assertThat(raw.readPacket()).containsExactly(0x90, 3, 0, 12, 0x80);
    }
    try (RawMqttClient raw = new RawMqttClient(fixture.port())) {
      raw.send(new RawMqttClient.Connect(5).clientId("sub-5-raw").build());
      assertThat(raw.readPacket()[0]).isEqualTo((byte) 0x20);
      raw.send(subscribe(5, 13, "secret/only", "+/#"));
      assertThat(raw.readPacket()).containsExactly(0x90, 5, 0, 13, 0, 0x87, 0x87);
    }
    allowedClientStillWorks();
  }

  static byte[] subscribe(int level, int packetId, String... filters) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId);
    if (level == 5) {
      body.write(0);
    }
    for (String f : filters) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      body.write(b.length >> 8);
      body.write(b.length);
      body.writeBytes(b);
      body.write(1);
    }
    return RawMqttClient.packet(0x82, body.toByteArray());
  }

  @Test
  void reloadRebuildsAdmissionAndKeepsRuntimeBlocks() throws Exception {
    fixture.bastion().blocklist().add(Kind.USERNAME, "runtime-blocked", "kept", null, "api");
    try {
      fixture.bastion().apply(fixture.parse(securityYaml("required")));
      assertThat(v5ConnackCode(MqttClients.mqtt5(fixture.port(), "anon-5"), null, null)).isEqualTo(0x87);
      assertThat(v3ConnackCode("anon-3", null, null)).isEqualTo(0x05);
      assertThat(fixture.bastion().blocklist().list()).extracting(Blocklist.Entry::value)
          .contains("runtime-blocked", "banned-*");
      allowedClientStillWorks();
    } finally {
      fixture.bastion().apply(fixture.parse(securityYaml("optional")));
      fixture.bastion().blocklist().remove(Kind.USERNAME, "runtime-blocked");
    }
  }

  @Test
  void eventsAreRecordedWithoutSecrets() {
    v5ConnackCode(MqttClients.mqtt5(fixture.port(), "secretive"), "alice", "super-secret-password");
    await().atMost(Duration.ofSeconds(5)).until(() -> fixture.bastion().events().recent(50).stream()
        .anyMatch(e -> "secretive".equals(e.clientId())));
    List<SecurityEvent> events = new CopyOnWriteArrayList<>(fixture.bastion().events().recent(1000));
    assertThat(events).anyMatch(e -> e.reason().equals("auth-failed"));
    assertThat(events.toString()).doesNotContain("super-secret-password");
  }
}
