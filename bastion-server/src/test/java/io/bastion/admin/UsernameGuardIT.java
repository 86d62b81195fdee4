package io.bastion.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.bastion.config.DetectorCatalog;
import io.bastion.security.PasswordHasher;
import io.bastion.testing.ProxyFixture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A slow brute force against a device's username, compressed in time (a 30 s horizon, a guess a
 * second from fresh client ids on three loopback addresses), through Bastion to a real broker: it
 * is found and the username guarded, not blocked. The device keeps its session and reconnects with
 * its own client id; anyone else, the right password or not, hears "bad username or password"
 * (MQTT 5 0x86, 3.1.1 0x04) until the guard is lifted through the admin API.
 */
class UsernameGuardIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OWNER_IP = "127.0.7.7";

  private static String yaml(Path passwd) {
    return "security:\n"
        + "  auth:\n    listeners:\n      mqtt: required\n"
        + "    password-file: " + passwd + "\n    failure-delay: 10ms\n    max-failure-delay: 20ms\n"
        + "detection:\n  window: 5s\n  response:\n    block-ttl: 1m\n  rules:\n"
        + "    brute-force-slow:\n      horizon: 30s\n      max-failures: 2\n      min-client-ids: 3\n";
  }

  private static Mqtt5BlockingClient v5(ProxyFixture f, String id, String ip) throws Exception {
    return MqttClient.builder().identifier(id).serverHost("127.0.0.1").serverPort(f.port())
        .transportConfig().localAddress(new InetSocketAddress(InetAddress.getByName(ip), 0))
        .applyTransportConfig().useMqttVersion5().buildBlocking();
  }

  /** The CONNACK reason of an MQTT 5 login; a successful one is ended again unless kept. */
  private static Mqtt5ConnAckReasonCode login(ProxyFixture f, String id, String ip, String password)
      throws Exception {
    Mqtt5BlockingClient c = v5(f, id, ip);
    Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class, () -> c.connectWith()
        .simpleAuth().username("meter").password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
        .send());
    if (e != null) {
      return e.getMqttMessage().getReasonCode();
    }
    c.disconnect();
    return Mqtt5ConnAckReasonCode.SUCCESS;
  }

  private static Mqtt3ConnAckReturnCode loginV3(ProxyFixture f, String id, String ip, String password)
      throws Exception {
    Mqtt3BlockingClient c = MqttClient.builder().identifier(id).serverHost("127.0.0.1").serverPort(f.port())
        .transportConfig().localAddress(new InetSocketAddress(InetAddress.getByName(ip), 0))
        .applyTransportConfig().useMqttVersion3().buildBlocking();
    Mqtt3ConnAckException e = catchThrowableOfType(Mqtt3ConnAckException.class, () -> c.connectWith()
        .simpleAuth().username("meter").password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
        .send());
    if (e != null) {
      return e.getMqttMessage().getReturnCode();
    }
    c.disconnect();
    return Mqtt3ConnAckReturnCode.SUCCESS;
  }

  private static JsonNode guards(AdminClient admin) throws Exception {
    return JSON.readTree(admin.get("/api/detections/guards").body());
  }

  @Test
  void slowGuessingGuardsTheUsernameAndTheOwnerKeepsWorking() throws Exception {
    Path passwd = Files.createTempDirectory("bastion-guard-it").resolve("passwd");
    Files.write(passwd, List.of("meter:" + PasswordHasher.hash("right".toCharArray(), 1000)));
    try (ProxyFixture f = ProxyFixture.startWithYaml(1, yaml(passwd))) {
      AdminClient admin = new AdminClient(f.bastion().adminPort(), null);
      // the device logs in before the attack: its (client id, address) is known from then on
      Mqtt5BlockingClient owner = v5(f, "meter-7", OWNER_IP);
      owner.connectWith().simpleAuth().username("meter").password("right".getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth().send();

      AtomicInteger guesses = new AtomicInteger();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        int i = guesses.getAndIncrement();
        assertThat(login(f, "guess-" + i, "127.0.8." + (1 + i % 3), "wrong-" + i))
            .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        return guards(admin).get("total").asInt() > 0;
      });
      assertThat(guesses.get()).isBetween(3, 8); // found on the third guess, give or take a busy host

      JsonNode guard = guards(admin).get("guards").get(0);
      assertThat(guard.get("username").asText()).isEqualTo("meter");
      assertThat(guard.get("source").asText()).isEqualTo("detect:" + DetectorCatalog.BRUTE_FORCE_SLOW);
      assertThat(guard.get("reason").asText()).contains("failed logins for username 'meter'");
      JsonNode detection = JSON.readTree(admin.get("/api/detections?detector=brute-force-slow").body())
          .get("detections").get(0);
      assertThat(detection.get("action").asText()).isEqualTo("guard");
      assertThat(detection.get("username").asText()).isEqualTo("meter");
      // nobody is blocked, and the per-window rules saw nothing worth a finding
      assertThat(JSON.readTree(admin.get("/api/blocklist").body()).get("total").asInt()).isZero();
      assertThat(JSON.readTree(admin.get("/api/detections").body()).get("byDetector").size()).isEqualTo(1);

      // the owner's session lives on, and it reconnects from its own id and address
      assertThat(owner.getState().isConnected()).isTrue();
      owner.disconnect();
      assertThat(login(f, "meter-7", OWNER_IP, "right")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);

      // strangers are refused without their password being checked, as a wrong password would be
      assertThat(login(f, "new-device", "127.0.9.9", "right")).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(loginV3(f, "new-device-v3", "127.0.9.9", "right")).isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(login(f, "guess-x", OWNER_IP, "right")).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(login(f, "meter-7", "127.0.9.9", "right")).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      // an allowlisted address is never guarded
      assertThat(admin.post("/api/allowlist", "{\"ip\": \"127.0.9.10\", \"reason\": \"ops\"}").statusCode())
          .isEqualTo(201);
      assertThat(login(f, "ops-laptop", "127.0.9.10", "right")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
      assertThat(admin.get("/metrics").body()).contains("bastion_detect_guarded_usernames 1.0")
          .contains("reason=\"username-guarded\"");

      // lifting the guard lets a new device with the right password in
      assertThat(admin.delete("/api/detections/guards").statusCode()).isEqualTo(400);
      var lifted = admin.delete("/api/detections/guards?username=meter");
      assertThat(lifted.statusCode()).isEqualTo(200);
      assertThat(lifted.body()).contains("\"username\":\"meter\"");
      assertThat(login(f, "new-device", "127.0.9.9", "right")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
      assertThat(admin.delete("/api/detections/guards?username=meter").statusCode()).isEqualTo(404);
      assertThat(guards(admin).get("total").asInt()).isZero();
    }
  }
}
