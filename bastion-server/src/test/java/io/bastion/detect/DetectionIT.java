package io.bastion.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.bastion.config.DetectorCatalog;
import io.bastion.security.PasswordHasher;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.RawMqttClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every rule's attacker against a real broker behind Bastion, each from its own loopback address,
 * while 100 normal clients publish and receive QoS 1 the whole time: each attacker is stopped with
 * the reason code its protocol defines, and the fleet loses nothing and is never refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DetectionIT {

  private static final int FLEET = 100;
  private static ProxyFixture fixture;
  private static PublishingFleet fleet;

  static String yaml(Path passwd) {
    return "security:\n"
        + "  auth:\n    listeners:\n      mqtt: optional\n"
        + "    password-file: " + passwd + "\n    failure-delay: 10ms\n    max-failure-delay: 20ms\n"
        + "detection:\n  window: 5s\n  response:\n    block-ttl: 1m\n  rules:\n"
        + "    connect-flood:\n      max-connects: 40\n"
        + "    client-id-churn:\n      max-client-ids: 20\n"
        + "    publish-flood:\n      action: block\n      max-messages-per-second: 300\n"
        + "    brute-force-ip:\n      max-failures: 5\n"
        + "    brute-force-user:\n      max-failures: 8\n"
        + "    brute-force-distributed:\n      min-addresses: 4\n      max-failures: 4\n"
        + "    malformed:\n      max-malformed: 3\n"
        + "    slowite:\n      mode: enforce\n      min-idle-seconds: 1\n      max-sessions: 3\n"
        + "    slowloris:\n      max-half-open: 5\n"
        + "    wildcard-scan:\n      mode: enforce\n"
        + "    topic-enumeration:\n      mode: enforce\n      max-new-topics: 30\n"
        + "    takeover-ping-pong:\n      max-takeovers: 3\n"
        + "    slow-subscriber:\n      mode: enforce\n      max-inflight: 1\n      min-seconds: 2\n";
  }

  @BeforeAll
  static void start() throws Exception {
    Path passwd = Files.createTempDirectory("bastion-detection-it").resolve("passwd");
    Files.write(passwd, List.of("victim:" + PasswordHasher.hash("right".toCharArray(), 1000)));
    fixture = ProxyFixture.startWithYaml(1, yaml(passwd));
    fleet = PublishingFleet.start(fixture.port(), FLEET, true);
  }

  @AfterAll
  static void stop() {
    if (fleet != null) {
      fleet.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  /** A HiveMQ MQTT 5 client bound to a loopback source address; disconnects are recorded. */
  private static Mqtt5BlockingClient client(String id, String localIp) throws IOException {
    return MqttClient.builder().identifier(id).serverHost("127.0.0.1").serverPort(fixture.port())
        .transportConfig().localAddress(new InetSocketAddress(InetAddress.getByName(localIp), 0))
        .applyTransportConfig().useMqttVersion5()
        .addDisconnectedListener(ctx -> {
          if (id.startsWith("device-")) {
            fleet.problems.add(id + " disconnected: " + ctx.getCause());
          }
        })
        .buildBlocking();
  }

  private static Mqtt5ConnAckReasonCode refusal(String id, String ip, String user, String password)
      throws IOException {
    Mqtt5BlockingClient c = client(id, ip);
    var connect = c.connectWith();
    if (user != null && password != null) {
      connect.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
    } else if (user != null) {
      connect.simpleAuth().username(user).applySimpleAuth(); // no password: nothing to fail
    }
    Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class, connect::send);
    if (e == null) {
      c.disconnect();
      return Mqtt5ConnAckReasonCode.SUCCESS;
    }
    return e.getMqttMessage().getReasonCode();
  }

  /** The code of a CONNECT from a blocked address or identity, through a raw MQTT 5 socket. */
  private static int rawConnack(String ip, String clientId) throws IOException {
    return rawConnack(ip, clientId, 5);
  }

  private static int rawConnack(String ip, String clientId, int level) throws IOException {
    try (RawMqttClient raw = new RawMqttClient(ip, fixture.port())) {
      raw.send(new RawMqttClient.Connect(level).clientId(clientId).build());
      byte[] p = raw.readPacket();
      return p == null ? -1 : p[3] & 0xff;
    }
  }

  private static Mqtt5DisconnectReasonCode disconnectReason(List<Throwable> causes) {
    await().atMost(Duration.ofSeconds(5)).until(() -> !causes.isEmpty());
    Throwable cause = causes.get(0);
    assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
    return ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode();
  }

  private static long detected(String detector) {
    return fixture.bastion().detection().log().detections(detector);
  }

  @Test
  @Order(1)
  void connectFloodIsBanned() throws Exception {
    String ip = "127.0.3.1";
    byte[] connect = new RawMqttClient.Connect(5).clientId("flooder").build();
    for (int i = 0; i < 60; i++) { // CONNECT and hang up, as fast as the sockets open
      try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), fixture.port(), InetAddress.getByName(ip), 0)) {
        s.setSoLinger(true, 0);
        s.getOutputStream().write(connect);
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> rawConnack(ip, "flooder") == 0x8A);
    assertThat(rawConnack(ip, "flooder-311", 4)).as("MQTT 3.1.1: not authorized").isEqualTo(5);
    assertThat(detected(DetectorCatalog.CONNECT_FLOOD)).isPositive();
  }

  @Test
  @Order(2)
  void clientIdChurnIsBanned() throws Exception {
    String ip = "127.0.3.2";
    for (int i = 0; i < 20; i++) { // at the limit
      assertThat(refusal("churn-" + i, ip, null, null)).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }
    AtomicInteger more = new AtomicInteger();
    await().atMost(Duration.ofSeconds(3)).until(() -> rawConnack(ip, "churn-x" + more.incrementAndGet()) == 0x8A);
    assertThat(detected(DetectorCatalog.CLIENT_ID_CHURN)).isPositive();
  }

  @Test
  @Order(3)
  void publishFloodIsDisconnectedWithMessageRateTooHigh() throws Exception {
    List<Throwable> causes = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient c = MqttClient.builder().identifier("firehose").serverHost("127.0.0.1")
        .serverPort(fixture.port()).transportConfig()
        .localAddress(new InetSocketAddress(InetAddress.getByName("127.0.3.3"), 0)).applyTransportConfig()
        .useMqttVersion5().addDisconnectedListener(ctx -> causes.add(ctx.getCause())).buildAsync();
    c.connect().get(5, TimeUnit.SECONDS);
    Thread flood = new Thread(() -> {
      while (causes.isEmpty()) {
        c.publishWith().topic("firehose").payload(new byte[8]).send();
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
      }
    });
    flood.start();
    try {
      assertThat(disconnectReason(causes)).isEqualTo(Mqtt5DisconnectReasonCode.MESSAGE_RATE_TOO_HIGH);
    } finally {
      flood.interrupt();
      flood.join(5000);
    }
    assertThat(refusal("firehose", "127.0.3.33", null, null)).isEqualTo(Mqtt5ConnAckReasonCode.BANNED);
  }

  @Test
  @Order(4)
  void bruteForceFromOneAddressIsBanned() throws Exception {
    String ip = "127.0.3.4";
    for (int i = 0; i < 6; i++) {
      assertThat(refusal("guesser", ip, "guess-" + i, "wrong"))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }
    await().atMost(Duration.ofSeconds(3)).until(() -> rawConnack(ip, "guesser") == 0x8A);
  }

  @Test
  @Order(5)
  void bruteForceAgainstOneUsernameLocksItOut() throws Exception {
    for (int i = 0; i < 9; i++) {
      assertThat(refusal("hammer", "127.0.4." + (1 + i % 3), "victim", "wrong-" + i))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }
    await().atMost(Duration.ofSeconds(3)).until(() -> detected(DetectorCatalog.BRUTE_FORCE_USER) > 0);
    // locked out even with the right password
    assertThat(refusal("victim-device", "127.0.4.9", "victim", "right")).isEqualTo(Mqtt5ConnAckReasonCode.BANNED);
  }

  @Test
  @Order(6)
  void distributedBruteForceLocksTheUsernameOut() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(refusal("botnet-" + i, "127.0.5." + (1 + i), "admin", "wrong"))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }
    await().atMost(Duration.ofSeconds(3)).until(() -> detected(DetectorCatalog.BRUTE_FORCE_DISTRIBUTED) > 0);
    assertThat(refusal("botnet-x", "127.0.5.99", "admin", null)).isEqualTo(Mqtt5ConnAckReasonCode.BANNED);
    assertThat(detected(DetectorCatalog.BRUTE_FORCE_IP)).isEqualTo(1); // only the guesser above
  }

  @Test
  @Order(7)
  void malformedPacketsAreBanned() throws Exception {
    String ip = "127.0.3.7";
    for (int i = 0; i < 4; i++) {
      try (RawMqttClient raw = new RawMqttClient(ip, fixture.port())) {
        raw.send(new byte[] {0x00, 0x00}); // reserved packet type 0
        assertThat(raw.closedWithin(3000)).isTrue();
      }
    }
    await().atMost(Duration.ofSeconds(3)).until(() -> rawConnack(ip, "fuzzer") == 0x8A);
  }

  @Test
  @Order(8)
  void slowiteSessionsAreDisconnectedWithAdministrativeAction() throws Exception {
    List<RawMqttClient> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        RawMqttClient raw = new RawMqttClient("127.0.3.8", fixture.port());
        idle.add(raw);
        raw.send(new RawMqttClient.Connect(5).clientId("sleeper-" + i).keepAlive(0).build());
        assertThat(raw.readPacket()[3]).isZero();
      }
      byte[] disconnect = idle.get(0).readPacket();
      assertThat(disconnect[0] & 0xff).isEqualTo(0xE0);
      assertThat(disconnect[2] & 0xff).isEqualTo(0x98);
    } finally {
      for (RawMqttClient r : idle) {
        r.close();
      }
    }
    assertThat(detected(DetectorCatalog.SLOWITE)).isPositive();
  }

  @Test
  @Order(9)
  void slowlorisAddressIsBanned() throws Exception {
    String ip = "127.0.3.9";
    List<Socket> trickling = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        Socket s = new Socket(InetAddress.getByName("127.0.0.1"), fixture.port(), InetAddress.getByName(ip), 0);
        s.getOutputStream().write(new byte[] {0x10, 0x7F, 0x00});
        trickling.add(s);
      }
      await().atMost(Duration.ofSeconds(3)).until(() -> rawConnack(ip, "loris") == 0x8A);
    } finally {
      for (Socket s : trickling) {
        s.close();
      }
    }
  }

  @Test
  @Order(10)
  void wildcardScannerIsDenied() throws Exception {
    Mqtt5BlockingClient c = client("scanner", "127.0.3.10");
    c.connect();
    c.subscribeWith().topicFilter("$SYS/#").send();
    await().atMost(Duration.ofSeconds(3)).until(() -> detected(DetectorCatalog.WILDCARD_SCAN) > 0);
    var refused = catchThrowableOfType(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException.class,
        () -> c.subscribeWith().topicFilter("#").send());
    assertThat(refused.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    c.disconnect();
  }

  @Test
  @Order(11)
  void topicEnumerationIsDenied() throws Exception {
    Mqtt5BlockingClient c = client("walker", "127.0.3.11");
    c.connect();
    for (int i = 0; i < 40; i++) {
      c.publishWith().topic("probe/" + i).qos(MqttQos.AT_LEAST_ONCE).send();
    }
    await().atMost(Duration.ofSeconds(3)).until(() -> detected(DetectorCatalog.TOPIC_ENUMERATION) > 0);
    var refused = catchThrowableOfType(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException.class,
        () -> c.publishWith().topic("probe/next").qos(MqttQos.AT_LEAST_ONCE).send());
    assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    c.disconnect();
  }

  @Test
  @Order(12)
  void takeoverPingPongBansTheClientId() throws Exception {
    for (int i = 0; i < 5; i++) {
      client("twin", "127.0.3." + (120 + i % 2)).connect();
    }
    await().atMost(Duration.ofSeconds(3)).until(() -> rawConnack("127.0.3.122", "twin") == 0x8A);
    assertThat(detected(DetectorCatalog.TAKEOVER_PING_PONG)).isPositive();
  }

  @Test
  @Order(13)
  void slowSubscriberIsDisconnected() throws Exception {
    try (RawMqttClient raw = new RawMqttClient("127.0.3.13", fixture.port())) {
      raw.send(new RawMqttClient.Connect(5).clientId("sloth").build());
      assertThat(raw.readPacket()[3]).isZero();
      byte[] topic = "slow/feed".getBytes(StandardCharsets.UTF_8);
      byte[] body = new byte[2 + 1 + 2 + topic.length + 1];
      body[1] = 1;
      body[4] = (byte) topic.length;
      System.arraycopy(topic, 0, body, 5, topic.length);
      body[body.length - 1] = 2; // QoS 2
      raw.send(RawMqttClient.packet(0x82, body));
      assertThat(raw.readPacket()[0] & 0xff).isEqualTo(0x90);
      Mqtt5BlockingClient feed = client("feeder", "127.0.3.14");
      feed.connect();
      for (int i = 0; i < 10; i++) {
        feed.publishWith().topic("slow/feed").qos(MqttQos.EXACTLY_ONCE).send();
      }
      feed.disconnect();
      byte[] p;
      do {
        p = raw.readPacket(); // QoS 2 deliveries it never acknowledges, then the DISCONNECT
      } while (p != null && (p[0] & 0xf0) == 0x30);
      assertThat(p).isNotNull();
      assertThat(p[0] & 0xff).isEqualTo(0xE0);
      assertThat(p[2] & 0xff).isEqualTo(0x98);
    }
  }

  @Test
  @Order(100)
  void theFleetLostNothingAndWasNeverRefused() {
    fleet.stopAndSettle();
    await().atMost(Duration.ofSeconds(15)).until(() -> fleet.received.get() >= fleet.acked.get());
    assertThat(fleet.problems).isEmpty();
    assertThat(fleet.acked.get()).isEqualTo(fleet.sent.get()).isGreaterThan(FLEET * 10);
    assertThat(fleet.received.get()).isEqualTo(fleet.acked.get());
    Map<String, Long> actions = new ConcurrentHashMap<>();
    fixture.bastion().detection().log().recent(1000, r -> true)
        .forEach(r -> actions.merge(String.valueOf(r.detection().clientId()), 1L, Long::sum));
    assertThat(actions.keySet()).noneMatch(id -> id.startsWith("device-"));
  }
}
