package io.bastion.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import io.bastion.testing.MqttClients;
import io.bastion.testing.ProxyFixture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The blocklist through the admin API: add with a TTL, list, refuse, remove; errors in the API's style. */
class BlocklistApiIT {

  @Test
  void addListRemoveAndErrors() throws Exception {
    try (ProxyFixture fixture = ProxyFixture.start(1)) {
      AdminClient admin = new AdminClient(fixture.bastion().adminPort(), null);
      HttpResponse<String> added = admin.post("/api/blocklist",
          "{\"client-id\": \"evil-*\", \"reason\": \"scanner\", \"ttl\": \"1h\"}");
      assertThat(added.statusCode()).isEqualTo(201);
      assertThat(added.body()).contains("\"value\":\"evil-*\"", "\"source\":\"api\"");
      assertThat(admin.get("/api/blocklist").body()).contains("\"total\":1", "scanner");

      Mqtt5BlockingClient evil = MqttClients.mqtt5(fixture.port(), "evil-1");
      try {
        evil.connect();
        throw new AssertionError("a blocked client connected");
      } catch (Mqtt5ConnAckException e) {
        assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x8A);
      }

      assertThat(admin.post("/api/blocklist", "{\"reason\": \"x\"}").statusCode()).isEqualTo(400);
      assertThat(admin.post("/api/blocklist", "{\"ip\": \"10.0.0.1/8\"}").statusCode()).isEqualTo(422);
      assertThat(admin.post("/api/blocklist", "{\"ip\": \"10.0.0.0/8\", \"ttl\": \"soon\"}").statusCode())
          .isEqualTo(400);
      assertThat(admin.delete("/api/blocklist?kind=username&value=nobody").statusCode()).isEqualTo(404);
      HttpResponse<String> bad = admin.delete("/api/blocklist?kind=bogus&value=x");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("\"status\":400", "\"error\"");

      assertThat(admin.delete("/api/blocklist?kind=client-id&value=evil-*").statusCode()).isEqualTo(200);
      evil.connect();
      MqttClients.disconnectQuietly(evil);
      assertThat(admin.post("/api/allowlist", "{\"ip\": \"127.0.0.0/8\"}").statusCode()).isEqualTo(201);
      assertThat(admin.get("/api/allowlist").body()).contains("127.0.0.0/8");
    }
  }
}
