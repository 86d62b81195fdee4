package io.bastion.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.bastion.testing.HeadlessChromium;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Clients from outside the JVM: Debian's mosquitto_pub over TLS, and MQTT.js (from npm) in
 * headless Chromium over secure WebSocket. A missing tool fails these tests.
 */
@Tag("interop")
class EdgeInteropIT {

  /** The MQTT.js release the browser test loads; its dist/mqtt.min.js is a self-contained bundle. */
  private static final String MQTT_JS = "mqtt@5.16.0";

  @TempDir static Path dir;
  private static TestPki pki;
  private static ProxyFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir, "interop-ca");
    pki.server("server");
    fixture = ProxyFixture.startYaml(3, dir, f -> """
        listeners:
          - { name: tcp, bind: 127.0.0.1, port: 0 }
          - name: tls
            bind: 127.0.0.1
            port: 0
            protocol: tls
            tls: { certificates: [{ cert: server.pem, key: server.key }] }
          - name: wss
            bind: 127.0.0.1
            port: 0
            protocol: wss
            tls: { certificates: [{ cert: server.pem, key: server.key }] }
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

  private static Mqtt5BlockingClient tcpClient(String id) {
    return MqttClient.builder().identifier(id).serverHost("127.0.0.1")
        .serverPort(fixture.bastion().port("tcp")).useMqttVersion5().buildBlocking();
  }

  @Test
  void mosquittoPubOverTlsWithTheCaFile() throws Exception {
    String subscriberId = "interop-tls-sub";
    Mqtt5BlockingClient sub = tcpClient(subscriberId);
    sub.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("interop/tls").qos(MqttQos.AT_LEAST_ONCE).send();
      Process pub = new ProcessBuilder("/usr/bin/mosquitto_pub", "-h", "localhost",
          "-p", String.valueOf(fixture.bastion().port("tls")), "--cafile", pki.caFile().toString(),
          "-i", fixture.neighbourOf(subscriberId, "mosquitto-pub-"), "-q", "1",
          "-t", "interop/tls", "-m", "hello over tls")
          .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto_pub.log").toFile()).start();
      assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(pub.exitValue()).as(Files.readString(dir.resolve("mosquitto_pub.log"))).isZero();
      assertThat(publishes.receive(10, TimeUnit.SECONDS)).hasValueSatisfying(p ->
          assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("hello over tls"));
    } finally {
      sub.disconnect();
    }
  }

  @Test
  void mqttJsInChromiumOverSecureWebSocket() throws Exception {
    Path bundle = mqttJsBundle();
    String browserId = "browser-wss-1";
    Path page = dir.resolve("wss.html");
    Files.copy(bundle, dir.resolve("mqtt.min.js"));
    Files.writeString(page, """
        <!doctype html><html><body>
        <script src="mqtt.min.js"></script>
        <script>
          const client = mqtt.connect('wss://127.0.0.1:%d/mqtt', { clientId: '%s', protocolVersion: 4 });
          client.on('connect', () => client.subscribe('browser/in', { qos: 1 }, (err) => {
            document.body.dataset[err ? 'error' : 'subscribed'] = err ? String(err) : 'true';
          }));
          client.on('message', (topic, message) => { document.body.dataset.received = message.toString(); });
          client.on('error', (e) => { document.body.dataset.error = String(e); });
        </script>
        </body></html>
        """.formatted(fixture.bastion().port("wss"), browserId), StandardCharsets.UTF_8);
    // the test CA is not in the browser's store; this flag is for this throw-away browser only
    ChromeDriver browser = HeadlessChromium.start("--ignore-certificate-errors");
    Mqtt5BlockingClient publisher = tcpClient(fixture.neighbourOf(browserId, "tcp-publisher-"));
    try {
      browser.get(page.toUri().toString());
      await().atMost(Duration.ofSeconds(30)).until(() -> "true".equals(data(browser, "subscribed")));
      publisher.connect();
      publisher.publishWith().topic("browser/in").qos(MqttQos.AT_LEAST_ONCE)
          .payload("hello browser".getBytes(StandardCharsets.UTF_8)).send();
      await().atMost(Duration.ofSeconds(20)).until(() -> "hello browser".equals(data(browser, "received")));
      assertThat(data(browser, "error")).isNull();
    } finally {
      browser.quit();
      if (publisher.getState().isConnected()) {
        publisher.disconnect();
      }
    }
  }

  private static String data(ChromeDriver browser, String key) {
    return browser.findElement(By.tagName("body")).getAttribute("data-" + key);
  }

  /** {@code npm pack} fetches the package tarball only (no install scripts run). */
  private static Path mqttJsBundle() throws IOException, InterruptedException {
    Path target = Path.of(System.getProperty("bastion.jar", "target/bastion.jar")).getParent().resolve("mqtt-js");
    Path bundle = target.resolve("package/dist/mqtt.min.js");
    if (Files.exists(bundle)) {
      return bundle;
    }
    Files.createDirectories(target);
    run(target, "npm", "pack", MQTT_JS, "--silent");
    try (var files = Files.list(target)) {
      Path tgz = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
          .orElseThrow(() -> new IllegalStateException("npm pack produced no tarball in " + target));
      run(target, "tar", "xzf", tgz.getFileName().toString());
    }
    assertThat(bundle).exists();
    return bundle;
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Path log = dir.resolve("command.log");
    Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
    }
  }
}
