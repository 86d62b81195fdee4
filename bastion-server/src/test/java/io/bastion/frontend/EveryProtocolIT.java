package io.bastion.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.TestPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Bastion with tcp, tls, ws and wss listeners in front of the same brokers; HiveMQ and Paho
 * clients on every listener at once talk to each other.
 */
class EveryProtocolIT {

  private static final List<String> KINDS = List.of("tcp", "tls", "ws", "wss");

  @TempDir static Path dir;
  private static TestPki pki;
  private static ProxyFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir, "edge-ca");
    pki.server("server");
    fixture = ProxyFixture.startYaml(3, dir, f -> """
        listeners:
          - { name: tcp, bind: 127.0.0.1, port: 0 }
          - name: tls
            bind: 127.0.0.1
            port: 0
            protocol: tls
            tls:
              certificates: [{ cert: server.pem, key: server.key }]
          - { name: ws, bind: 127.0.0.1, port: 0, protocol: ws }
          - name: wss
            bind: 127.0.0.1
            port: 0
            protocol: wss
            tls:
              certificates: [{ cert: server.pem, key: server.key }]
            websocket:
              allowed-origins: [https://app.example.com, "http://127.0.0.1:*", "https://127.0.0.1:*"]
        pools:
          - name: brokers
            health: { interval: 500ms, timeout: 400ms, rise: 1 }
            brokers:
        """ + f.brokersYaml("      ") + "admin:\n  port: 0\n");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static int port(String listener) {
    return fixture.bastion().port(listener);
  }

  private static Mqtt5AsyncClient hivemq(String kind, String id) throws Exception {
    MqttClientBuilder b = MqttClient.builder().identifier(id).serverHost("127.0.0.1").serverPort(port(kind));
    if (kind.equals("tls") || kind.equals("wss")) {
      b = b.sslConfig().trustManagerFactory(pki.trustManagers()).applySslConfig();
    }
    if (kind.startsWith("ws")) {
      b = b.webSocketConfig().serverPath("mqtt").applyWebSocketConfig();
    }
    return b.useMqttVersion5().buildAsync();
  }

  private static org.eclipse.paho.client.mqttv3.MqttClient paho(String kind, String id, MqttConnectOptions options)
      throws Exception {
    String uri = switch (kind) {
      case "tcp" -> "tcp://127.0.0.1:" + port(kind);
      case "tls" -> "ssl://127.0.0.1:" + port(kind);
      case "ws" -> "ws://127.0.0.1:" + port(kind) + "/mqtt";
      default -> "wss://127.0.0.1:" + port(kind) + "/mqtt";
    };
    if (kind.equals("tls") || kind.equals("wss")) {
      options.setSocketFactory(pki.clientContext().getSocketFactory());
    }
    return new org.eclipse.paho.client.mqttv3.MqttClient(uri, id, new MemoryPersistence());
  }

  @Test
  void clientsOnEveryListenerTalkToEachOther() throws Exception {
    // the test brokers are not clustered: every client id must land on the same broker
    String first = "hivemq-tcp";
    Map<String, Set<String>> received = new ConcurrentHashMap<>();
    List<Mqtt5AsyncClient> hivemqClients = new ArrayList<>();
    List<org.eclipse.paho.client.mqttv3.MqttClient> pahoClients = new ArrayList<>();
    List<String> senders = new ArrayList<>();
    try {
      for (String kind : KINDS) {
        String id = kind.equals("tcp") ? first : fixture.neighbourOf(first, "hivemq-" + kind + "-");
        Mqtt5AsyncClient c = hivemq(kind, id);
        c.connect().get(10, TimeUnit.SECONDS);
        Set<String> mine = received.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
        c.subscribeWith().topicFilter("edge/chat").qos(MqttQos.AT_LEAST_ONCE)
            .callback(p -> mine.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
            .send().get(10, TimeUnit.SECONDS);
        hivemqClients.add(c);
        senders.add(id);

        String pahoId = fixture.neighbourOf(first, "paho-" + kind + "-");
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        org.eclipse.paho.client.mqttv3.MqttClient p = paho(kind, pahoId, options);
        p.connect(options);
        Set<String> pahoSet = received.computeIfAbsent(pahoId, k -> ConcurrentHashMap.newKeySet());
        p.subscribe("edge/chat", 1, (topic, m) -> pahoSet.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        pahoClients.add(p);
        senders.add(pahoId);
      }
      for (Mqtt5AsyncClient c : hivemqClients) {
        String id = c.getConfig().getClientIdentifier().get().toString();
        c.publishWith().topic("edge/chat").qos(MqttQos.AT_LEAST_ONCE)
            .payload(id.getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);
      }
      for (org.eclipse.paho.client.mqttv3.MqttClient p : pahoClients) {
        p.publish("edge/chat", p.getClientId().getBytes(StandardCharsets.UTF_8), 1, false);
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        for (String id : senders) {
          assertThat(received.get(id)).as("received by " + id).containsExactlyInAnyOrderElementsOf(senders);
        }
      });
      int home = fixture.homeOf(first);
      for (String id : senders) {
        assertThat(fixture.brokerHolding(id)).as(id).isEqualTo(home);
      }
      for (String kind : List.of("tls", "wss")) {
        Listener l = fixture.bastion().listeners().stream().filter(x -> x.name().equals(kind)).findFirst().get();
        assertThat(l.stats().tlsHandshakes()).as(kind + " handshakes").isGreaterThanOrEqualTo(2);
      }
    } finally {
      for (Mqtt5AsyncClient c : hivemqClients) {
        c.disconnect();
      }
      for (org.eclipse.paho.client.mqttv3.MqttClient p : pahoClients) {
        if (p.isConnected()) {
          p.disconnect();
        }
        p.close();
      }
    }
  }

  @Test
  void plainHttpRequestsAreAnsweredWith4xxClosedAndCounted() throws Exception {
    Listener ws = fixture.bastion().listeners().stream().filter(x -> x.name().equals("ws")).findFirst().get();
    long before = ws.stats().websocketRejections();
    assertThat(httpStatus(port("ws"), "GET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo("HTTP/1.1 404 Not Found");
    assertThat(httpStatus(port("ws"), "GET /mqtt HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo("HTTP/1.1 400 Bad Request");
    assertThat(ws.stats().websocketRejections()).isEqualTo(before + 2);
  }

  @Test
  void originOutsideTheAllowListIsRefused() throws Exception {
    Listener wss = fixture.bastion().listeners().stream().filter(x -> x.name().equals("wss")).findFirst().get();
    long before = wss.stats().websocketRejections();
    try (Socket s = pki.clientContext().getSocketFactory().createSocket("127.0.0.1", port("wss"))) {
      String status = exchange(s, "GET /mqtt HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Protocol: mqtt\r\nOrigin: https://evil.example\r\n\r\n");
      assertThat(status).isEqualTo("HTTP/1.1 403 Forbidden");
    }
    assertThat(wss.stats().websocketRejections()).isEqualTo(before + 1);
  }

  private static String httpStatus(int port, String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return exchange(s, request);
    }
  }

  /** Sends the request; returns the status line after checking the server closed the socket. */
  private static String exchange(Socket s, String request) throws Exception {
    s.setSoTimeout(10_000);
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII); // until closed
    return response.substring(0, response.indexOf("\r\n"));
  }
}
