package io.bastion.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.RawMqttClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Detections through the admin API and metrics: list, filter, clear a detector's block. */
class DetectionApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static int connack(ProxyFixture f, String ip) throws Exception {
    try (RawMqttClient raw = new RawMqttClient(ip, f.port())) {
      raw.send(new RawMqttClient.Connect(5).clientId("api-flood").build());
      byte[] p = raw.readPacket();
      return p == null ? -1 : p[3] & 0xff;
    }
  }

  @Test
  void listFilterClearAndMetrics() throws Exception {
    try (ProxyFixture f = ProxyFixture.startWithYaml(1,
        "detection:\n  rules:\n    connect-flood:\n      max-connects: 10\n")) {
      AdminClient admin = new AdminClient(f.bastion().adminPort(), null);
      String ip = "127.0.6.1";
      await().atMost(Duration.ofSeconds(10)).until(() -> connack(f, ip) == 0x8A);

      JsonNode all = JSON.readTree(admin.get("/api/detections").body());
      assertThat(all.get("enabled").asBoolean()).isTrue();
      assertThat(all.get("rules").toString()).contains("connect-flood", "slow-subscriber");
      JsonNode d = all.get("detections").get(0);
      assertThat(d.get("detector").asText()).isEqualTo("connect-flood");
      assertThat(d.get("remoteIp").asText()).isEqualTo(ip);
      assertThat(d.get("action").asText()).isEqualTo("block");
      assertThat(d.get("blockSeconds").asLong()).isEqualTo(300);
      assertThat(d.get("because").get(0).asText()).contains("new connections");
      assertThat(all.get("byDetector").get("connect-flood").asLong()).isEqualTo(1);

      assertThat(JSON.readTree(admin.get("/api/detections?ip=" + ip).body()).get("detections")).hasSize(1);
      assertThat(JSON.readTree(admin.get("/api/detections?detector=malformed").body()).get("detections")).isEmpty();
      assertThat(JSON.readTree(admin.get("/api/detections?client-id=nobody").body()).get("detections")).isEmpty();
      assertThat(admin.get("/api/detections?limit=0").statusCode()).isEqualTo(400);
      assertThat(admin.post("/api/detections", "{}").statusCode()).isEqualTo(405);

      String metrics = admin.get("/metrics").body();
      assertThat(metrics).contains("bastion_detect_detections_total{detector=\"connect-flood\"} 1.0");
      assertThat(metrics).contains("bastion_detect_actions_total{action=\"block\"} 1.0");
      assertThat(metrics).contains("bastion_detect_model_warmup");

      assertThat(admin.delete("/api/detections").statusCode()).isEqualTo(400);
      assertThat(admin.delete("/api/detections?ip=" + ip + "&client-id=x").statusCode()).isEqualTo(400);
      var cleared = admin.delete("/api/detections?ip=" + ip);
      assertThat(cleared.statusCode()).isEqualTo(200);
      assertThat(cleared.body()).contains("block ip " + ip);
      assertThat(connack(f, ip)).isZero();
      assertThat(admin.delete("/api/detections?ip=127.0.6.99").statusCode()).isEqualTo(404);
    }
  }
}
