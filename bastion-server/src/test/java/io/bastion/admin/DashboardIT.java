package io.bastion.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.bastion.testing.HeadlessChromium;
import io.bastion.testing.ProxyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The dashboard in a real headless browser: live brokers and counts, and the drain button. */
@Tag("interop")
class DashboardIT {

  private static ProxyFixture fixture;
  private static final List<Mqtt5BlockingClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    fixture = ProxyFixture.start(3);
    for (int i = 0; i < 6; i++) {
      Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("dash-" + i)
          .serverHost("127.0.0.1").serverPort(fixture.port()).buildBlocking();
      c.connect();
      clients.add(c);
    }
  }

  @AfterAll
  static void stop() {
    clients.forEach(c -> {
      if (c.getState().isConnected()) {
        c.disconnect();
      }
    });
    fixture.close();
  }

  @Test
  void dashboardShowsBrokersAndLiveCountsAndDrains() throws Exception {
    ChromeDriver browser = HeadlessChromium.start();
    try {
      browser.get("http://127.0.0.1:" + fixture.bastion().adminPort() + "/");
      await().atMost(Duration.ofSeconds(20)).until(() ->
          "true".equals(browser.findElement(By.tagName("body")).getAttribute("data-loaded")));
      List<WebElement> rows = browser.findElements(By.cssSelector("#brokers tbody tr"));
      assertThat(rows).hasSize(3);
      assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("live");
      await().atMost(Duration.ofSeconds(10)).until(() ->
          browser.findElement(By.id("sessions")).getText().equals("6"));
      int total = 0;
      for (WebElement row : browser.findElements(By.cssSelector("#brokers tbody tr"))) {
        total += Integer.parseInt(row.findElement(By.cssSelector("td.sessions")).getText());
      }
      assertThat(total).isEqualTo(6);

      Path screenshot = Path.of("target", "dashboard.png");
      Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
      assertThat(Files.size(screenshot)).isGreaterThan(10_000);

      // drain the broker in the first row from the page itself
      WebElement first = browser.findElements(By.cssSelector("#brokers tbody tr")).get(0);
      String broker = first.getAttribute("data-broker");
      first.findElement(By.tagName("button")).click();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          fixture.bastion().backends().pool(ProxyFixture.POOL).broker(broker).draining());
      await().atMost(Duration.ofSeconds(10)).until(() ->
          browser.findElement(By.cssSelector("#brokers tbody tr[data-broker='" + broker + "'] td:nth-child(5)"))
              .getText().equals("draining"));

      // a detection appears in its panel, and its Clear button lifts the throttle
      fixture.bastion().detection().responder().respond(new io.bastion.detect.Detection(
          java.time.Instant.now(), "model", "dash-0", "127.0.0.1", "default", 0.9,
          List.of("messages published 40x its cohort"), io.bastion.detect.Detection.Action.THROTTLE));
      assertThat(fixture.bastion().detection().responder().flagged("dash-0")).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          browser.findElements(By.cssSelector("#detections tbody tr")).size() == 1);
      WebElement detection = browser.findElement(By.cssSelector("#detections tbody tr"));
      assertThat(detection.getText()).contains("model", "dash-0", "throttle", "40x its cohort");
      detection.findElement(By.tagName("button")).click();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          !fixture.bastion().detection().responder().flagged("dash-0"));
    } finally {
      browser.quit();
    }
  }

  @Test
  void priorityPanelShowsTheActivePoolAndFollowsASiteGoingDown() throws Exception {
    ProxyFixture hybrid = ProxyFixture.startYaml(2, Path.of("."), f -> """
        listeners:
          - {name: mqtt, bind: 127.0.0.1, port: 0}
        pools:
          - name: local
            health: {interval: 200ms, timeout: 150ms, rise: 1, fall: 1}
            brokers: [{id: local-1, host: 127.0.0.1, port: %d}]
          - name: cloud
            brokers: [{id: cloud-1, host: 127.0.0.1, port: %d}]
        rules:
          - name: plant
            pools: [{pool: local, priority: 1}, {pool: cloud, priority: 2}]
        admin: {port: 0}
        """.formatted(f.broker(0).port(), f.broker(1).port()));
    ChromeDriver browser = HeadlessChromium.start();
    try {
      browser.get("http://127.0.0.1:" + hybrid.bastion().adminPort() + "/");
      await().atMost(Duration.ofSeconds(20)).until(() ->
          "true".equals(browser.findElement(By.tagName("body")).getAttribute("data-loaded")));
      assertThat(browser.findElement(By.id("priority-panel")).isDisplayed()).isTrue();
      WebElement row = browser.findElement(By.cssSelector("#priority tbody tr[data-rule='plant']"));
      assertThat(row.findElement(By.cssSelector("td.active")).getText()).isEqualTo("local");
      assertThat(row.findElement(By.cssSelector("td.pools")).getText()).contains("1. local (up)", "2. cloud (up)");

      hybrid.broker(0).stop();
      await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(
          By.cssSelector("#priority tbody tr[data-rule='plant'] td.active")).getText().equals("cloud"));
      assertThat(browser.findElement(By.cssSelector("#priority tbody tr[data-rule='plant'] td.reason"))
          .getText()).isEqualTo("local: no broker available");
    } finally {
      browser.quit();
      hybrid.close();
    }
  }

  @Test
  void priorityPanelIsHiddenWithoutPriorityRules() {
    ChromeDriver browser = HeadlessChromium.start();
    try {
      browser.get("http://127.0.0.1:" + fixture.bastion().adminPort() + "/");
      await().atMost(Duration.ofSeconds(20)).until(() ->
          "true".equals(browser.findElement(By.tagName("body")).getAttribute("data-loaded")));
      assertThat(browser.findElement(By.id("priority-panel")).isDisplayed()).isFalse();
    } finally {
      browser.quit();
    }
  }
}
