package io.bastion.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.bastion.testing.MqttClients;
import io.bastion.testing.ProxyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The anomaly model runs inside a node: it learns from real sessions, reports, and checkpoints. */
class DetectionModelsApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path checkpoints;

  @Test
  void theModelLearnsFromLiveWindowsAndSavesItsStateOnShutdown() throws Exception {
    String yaml = "detection:\n  window: 1s\n  model:\n    warm-up-windows: 3\n"
        + "    checkpoint-dir: " + checkpoints + "\n";
    try (ProxyFixture f = ProxyFixture.startWithYaml(1, yaml)) {
      AdminClient admin = new AdminClient(f.bastion().adminPort(), null);
      Mqtt5BlockingClient device = MqttClients.mqtt5(f.port(), "meter-1");
      device.connect();
      try {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
          device.publishWith().topic("meters/1").payload(new byte[] {1, 2, 3}).send();
          JsonNode cohort = cohort(admin);
          return cohort != null && cohort.path("warmedUp").asBoolean();
        });
        JsonNode status = JSON.readTree(admin.get("/api/detection/models").body());
        assertThat(status.path("mode").asText()).isEqualTo("observe");
        assertThat(admin.get("/api/detection/models/default").statusCode()).isEqualTo(200);
        assertThat(admin.get("/api/detection/models/nobody").statusCode()).isEqualTo(404);
        assertThat(admin.get("/metrics").body()).contains("bastion_detect");
      } finally {
        MqttClients.disconnectQuietly(device);
      }
    }
    try (Stream<Path> files = Files.list(checkpoints)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains("default"));
    }
  }

  @Test
  void anOffModelAnswersNotFoundWithTheReason() throws Exception {
    try (ProxyFixture f = ProxyFixture.startWithYaml(1, "detection:\n  model:\n    enabled: false\n")) {
      AdminClient admin = new AdminClient(f.bastion().adminPort(), null);
      var answer = admin.get("/api/detection/models");
      assertThat(answer.statusCode()).isEqualTo(404);
      assertThat(answer.body()).contains("detection.model.enabled");
    }
  }

  private static JsonNode cohort(AdminClient admin) throws Exception {
    for (JsonNode c : JSON.readTree(admin.get("/api/detection/models").body()).path("cohorts")) {
      if (c.path("cohort").asText().equals("default")) {
        return c;
      }
    }
    return null;
  }
}
