package io.bastion.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.bastion.config.DetectorCatalog;
import io.bastion.security.PasswordHasher;
import io.bastion.testing.ProxyFixture;
import io.bastion.testing.RawMqttClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Every rule's blatant attacker on real sockets, at the rules' default limits with every rule
 * enforcing, a few times each, while 100 normal clients publish QoS 1: measures the time from the
 * attack's first packet to the rule's detection and to the moment the attacker sees itself stopped
 * (refused CONNECT, DISCONNECT, refused SUBSCRIBE or PUBLISH); when another rule than the
 * attacker's own named it first, the table says which. Writes the table to
 * {@code target/detection-blatant.md}. Every limit is the default; publish-flood blocks instead of
 * throttling so its stop is visible. The fleet subscribes to its own topic, so it is a busy
 * subscriber too. A measurement of a few minutes, run on request: {@code -Ddetection.blatant=true};
 * {@code -Dblatant.rules=a,b} runs only those rules' attackers, and
 * {@code -Dblatant.stuck-seconds=…} sets slow-subscriber's {@code stuck-seconds} (default: the
 * rule's default), {@code -Dblatant.fleet-subscribes=false} leaves the fleet publishing only. It fails when the fleet is touched or a rule never stops its attacker; misses
 * in single runs show in the table.
 */
@EnabledIfSystemProperty(named = "detection.blatant", matches = "true")
class BlatantAttacksIT {

  private static final int FLEET = 100;
  private static final int REPETITIONS = Integer.getInteger("blatant.repetitions", 3);
  private static final long GIVE_UP_MILLIS = 15_000;
  private static ProxyFixture fixture;
  private static PublishingFleet fleet;

  static String yaml(Path passwd) {
    StringBuilder y = new StringBuilder("security:\n"
        + "  auth:\n    listeners:\n      mqtt: optional\n"
        + "    password-file: " + passwd + "\n    failure-delay: 10ms\n    max-failure-delay: 20ms\n"
        + "detection:\n  response:\n    block-ttl: 5m\n  rules:\n");
    for (String rule : DetectorCatalog.names()) {
      y.append("    ").append(rule).append(":\n      mode: enforce\n");
      switch (rule) {
        case DetectorCatalog.PUBLISH_FLOOD -> y.append("      action: block\n");
        case DetectorCatalog.SLOW_SUBSCRIBER -> {
          String stuck = System.getProperty("blatant.stuck-seconds", "");
          if (!stuck.isBlank()) {
            y.append("      stuck-seconds: ").append(stuck).append("\n");
          }
        }
        default -> { }
      }
    }
    return y.toString();
  }

  @BeforeAll
  static void start() throws Exception {
    Path passwd = Files.createTempDirectory("bastion-blatant-it").resolve("passwd");
    Files.write(passwd, List.of("someone:" + PasswordHasher.hash("right".toCharArray(), 1000)));
    fixture = ProxyFixture.startWithYaml(1, yaml(passwd));
    fleet = PublishingFleet.start(fixture.port(), FLEET,
        Boolean.parseBoolean(System.getProperty("blatant.fleet-subscribes", "true")));
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

  /** One run of one attacker: when it started, and when it first saw itself stopped. */
  static final class Run {
    final long startMillis = System.currentTimeMillis();
    volatile long stoppedMillis = -1;
    /** The address, username or client id its rule names in the detection. */
    volatile String target;

    boolean stopped() {
      return stoppedMillis >= 0;
    }

    void stop() {
      if (stoppedMillis < 0) {
        stoppedMillis = System.currentTimeMillis();
      }
    }

    boolean going() {
      return !stopped() && System.currentTimeMillis() - startMillis < GIVE_UP_MILLIS;
    }
  }

  interface Attack {
    void run(Run run, int rep) throws Exception;
  }

  record Result(String rule, String attacker, List<Long> detect, List<Long> stop, int runs, String each) {}

  @Test
  void everyBlatantAttackerIsStoppedByItsRuleWhileTheFleetIsUntouched() throws Exception {
    Map<String, Attack> attacks = new LinkedHashMap<>();
    Map<String, String> described = new LinkedHashMap<>();
    attacks.put(DetectorCatalog.CONNECT_FLOOD, this::connectFlood);
    described.put(DetectorCatalog.CONNECT_FLOOD, "TCP connections opened and closed, 4 threads, one address");
    attacks.put(DetectorCatalog.CLIENT_ID_CHURN, this::clientIdChurn);
    described.put(DetectorCatalog.CLIENT_ID_CHURN, "CONNECT with a new client id each time, 4 threads, one address");
    attacks.put(DetectorCatalog.PUBLISH_FLOOD, this::publishFlood);
    described.put(DetectorCatalog.PUBLISH_FLOOD, "one session writing QoS 0 PUBLISH as fast as the socket takes them");
    attacks.put(DetectorCatalog.BRUTE_FORCE_IP, this::bruteForceIp);
    described.put(DetectorCatalog.BRUTE_FORCE_IP, "wrong passwords for changing usernames, one address");
    attacks.put(DetectorCatalog.BRUTE_FORCE_USER, this::bruteForceUser);
    described.put(DetectorCatalog.BRUTE_FORCE_USER, "wrong passwords for one username from 2 addresses");
    attacks.put(DetectorCatalog.BRUTE_FORCE_DISTRIBUTED, this::bruteForceDistributed);
    described.put(DetectorCatalog.BRUTE_FORCE_DISTRIBUTED, "wrong passwords for one username from 8 addresses in turn");
    attacks.put(DetectorCatalog.MALFORMED, this::malformed);
    described.put(DetectorCatalog.MALFORMED, "connections sending a reserved packet type");
    attacks.put(DetectorCatalog.SLOWITE, this::slowite);
    described.put(DetectorCatalog.SLOWITE, "150 sessions with keepalive 0 that send nothing after CONNECT, 4 threads");
    attacks.put(DetectorCatalog.SLOWLORIS, this::slowloris);
    described.put(DetectorCatalog.SLOWLORIS, "connections sending 3 bytes of a CONNECT and no more");
    attacks.put(DetectorCatalog.WILDCARD_SCAN, this::wildcardScan);
    described.put(DetectorCatalog.WILDCARD_SCAN, "SUBSCRIBE to # and $SYS/#, retried until refused");
    attacks.put(DetectorCatalog.TOPIC_ENUMERATION, this::topicEnumeration);
    described.put(DetectorCatalog.TOPIC_ENUMERATION, "QoS 1 PUBLISH to a new topic each time, until refused");
    attacks.put(DetectorCatalog.TAKEOVER_PING_PONG, this::takeover);
    described.put(DetectorCatalog.TAKEOVER_PING_PONG, "two addresses connecting with one client id in turn");
    attacks.put(DetectorCatalog.SLOW_SUBSCRIBER, this::slowSubscriber);
    described.put(DetectorCatalog.SLOW_SUBSCRIBER, "QoS 2 subscriber that never acknowledges 150 deliveries");

    String only = System.getProperty("blatant.rules", "");
    if (!only.isBlank()) {
      attacks.keySet().retainAll(List.of(only.split(",")));
    }
    List<Result> results = new ArrayList<>();
    for (Map.Entry<String, Attack> e : attacks.entrySet()) {
      List<Long> detect = new ArrayList<>();
      List<Long> stop = new ArrayList<>();
      StringBuilder each = new StringBuilder();
      for (int rep = 0; rep < REPETITIONS; rep++) {
        Run run = new Run();
        e.getValue().run(run, rep);
        if (run.stopped()) {
          // the responder acts before the record reaches the log: give it a moment
          try {
            await().atMost(Duration.ofSeconds(1)).until(() -> firstDetection(run) != null);
          } catch (ConditionTimeoutException stoppedWithoutADetection) {
            // shows as "–" in the table
          }
        }
        DetectionRecord first = firstDetection(run);
        long detected = first == null ? -1 : first.detection().time().toEpochMilli();
        if (detected >= 0) {
          detect.add(detected - run.startMillis);
        }
        String by = first == null || first.detection().detector().equals(e.getKey()) ? ""
            : " (" + first.detection().detector() + ")";
        if (run.stopped()) {
          stop.add(run.stoppedMillis - run.startMillis);
        }
        each.append(each.length() == 0 ? "" : "; ").append(detected < 0 ? "–" : detected - run.startMillis)
            .append(by).append(", ").append(run.stopped() ? run.stoppedMillis - run.startMillis : "–");
      }
      results.add(new Result(e.getKey(), described.get(e.getKey()), detect, stop, REPETITIONS, each.toString()));
    }
    fleet.stopAndSettle();
    String table = table(results);
    System.out.println(table);
    Path out = Path.of("target", "detection-blatant.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);

    assertThat(fleet.problems).isEmpty();
    assertThat(fleet.acked.get()).isEqualTo(fleet.sent.get()).isGreaterThan(FLEET * 10);
    if (Boolean.parseBoolean(System.getProperty("blatant.fleet-subscribes", "true"))) {
      assertThat(fleet.received.get()).as("deliveries to the fleet").isGreaterThan(FLEET * 10);
    }
    assertThat(fixture.bastion().detection().log().recent(1000, r -> true))
        .noneMatch(r -> String.valueOf(r.detection().clientId()).startsWith("device-")
            || String.valueOf(r.detection().remoteIp()).startsWith("127.0.2."));
    assertThat(results).allSatisfy(r -> {
      assertThat(r.detect()).as(r.rule() + " detected").isNotEmpty();
      assertThat(r.stop()).as(r.rule() + " stopped").isNotEmpty();
    });
  }

  /** The first detection naming the run's attacker, by whichever rule (another rule may be first). */
  private static DetectionRecord firstDetection(Run run) {
    return fixture.bastion().detection().log()
        .recent(1000, r -> names(r.detection(), run.target)).stream()
        .min(Comparator.comparingLong(r -> r.detection().time().toEpochMilli())).orElse(null);
  }

  private static boolean names(Detection d, String target) {
    return target.equals(d.remoteIp()) || target.equals(d.username()) || target.equals(d.clientId());
  }

  private static String table(List<Result> results) {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
        "| rule | blatant attacker | stopped | detect p50 / p95 (ms) | stopped p50 / p95 (ms) | each run: detect, stopped (ms) |%n"
            + "| --- | --- | --- | --- | --- | --- |%n"));
    for (Result r : results) {
      t.append(String.format(Locale.ROOT, "| %s | %s | %d/%d | %s | %s | %s |%n", r.rule(), r.attacker(),
          r.stop().size(), r.runs(), pair(r.detect()), pair(r.stop()), r.each()));
    }
    List<Long> all = new ArrayList<>();
    results.forEach(r -> all.addAll(r.stop()));
    t.append(String.format(Locale.ROOT, "%nall runs: stopped %d/%d, time to stop p50 %d ms, p95 %d ms%n",
        all.size(), results.stream().mapToInt(Result::runs).sum(), percentile(all, 0.5), percentile(all, 0.95)));
    return t.toString();
  }

  private static String pair(List<Long> v) {
    return v.isEmpty() ? "–" : percentile(v, 0.5) + " / " + percentile(v, 0.95);
  }

  static long percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  // --- the attackers; each address block is its own, so a block from one run never meets the next ---

  private static String ip(int rule, int rep, int i) {
    return "127.0." + (20 + rule) + "." + (1 + rep * 40 + i);
  }

  /** Whether a CONNECT from this address and id is refused as banned (or the connection dropped). */
  private static boolean banned(String ip, String clientId) {
    try (RawMqttClient raw = new RawMqttClient(ip, fixture.port())) {
      raw.send(new RawMqttClient.Connect(5).clientId(clientId).build());
      byte[] p = raw.readPacket();
      return p == null || (p[3] & 0xff) == 0x8A;
    } catch (IOException e) {
      return true;
    }
  }

  /** Runs {@code body} on 4 threads until the run stops or gives up; a prober checks every 100 ms. */
  private static void parallel(Run run, ThrowingRunnable body, java.util.function.BooleanSupplier probe)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        while (run.going()) {
          try {
            body.run();
          } catch (IOException e) {
            // refused or reset: the prober decides whether that is the block
          }
        }
      });
      th.start();
      threads.add(th);
    }
    while (run.going()) {
      if (probe.getAsBoolean()) {
        run.stop();
      } else {
        Thread.sleep(100);
      }
    }
    for (Thread th : threads) {
      th.join(5000);
    }
  }

  interface ThrowingRunnable {
    void run() throws IOException;
  }

  private void connectFlood(Run run, int rep) throws Exception {
    String ip = ip(0, rep, 0);
    run.target = ip;
    parallel(run, () -> {
      try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), fixture.port(), InetAddress.getByName(ip), 0)) {
        s.setSoLinger(true, 0);
      }
    }, () -> banned(ip, "flood-probe-" + rep));
  }

  private void clientIdChurn(Run run, int rep) throws Exception {
    String ip = ip(1, rep, 0);
    run.target = ip;
    AtomicInteger n = new AtomicInteger();
    parallel(run, () -> {
      try (RawMqttClient raw = new RawMqttClient(ip, fixture.port())) {
        raw.send(new RawMqttClient.Connect(5).clientId("churn-" + rep + "-" + n.incrementAndGet()).build());
        raw.readPacket();
      }
    }, () -> banned(ip, "churn-probe-" + rep));
  }

  private void publishFlood(Run run, int rep) throws Exception {
    try (RawMqttClient raw = new RawMqttClient(ip(2, rep, 0), fixture.port())) {
      run.target = "firehose-" + rep;
      raw.send(new RawMqttClient.Connect(5).clientId("firehose-" + rep).build());
      assertThat(raw.readPacket()[3]).isZero();
      Thread reader = new Thread(() -> {
        try {
          byte[] p;
          while ((p = raw.readPacket()) != null && (p[0] & 0xff) != 0xE0) {
            // nothing else is sent to it
          }
        } catch (IOException e) {
          // reset: stopped as well
        }
        run.stop();
      });
      reader.start();
      byte[] one = RawMqttClient.publish(5, "firehose/" + rep, new byte[8]);
      byte[] batch = new byte[one.length * 500];
      for (int i = 0; i < 500; i++) {
        System.arraycopy(one, 0, batch, i * one.length, one.length);
      }
      while (run.going()) {
        try {
          raw.send(batch);
        } catch (IOException e) {
          break;
        }
      }
      reader.join(GIVE_UP_MILLIS);
    }
  }

  private static Mqtt5BlockingClient client(String id, String ip) throws IOException {
    return MqttClient.builder().identifier(id).serverHost("127.0.0.1").serverPort(fixture.port())
        .transportConfig().localAddress(new InetSocketAddress(InetAddress.getByName(ip), 0))
        .applyTransportConfig().useMqttVersion5().buildBlocking();
  }

  /** A login with a wrong password; true when it was refused as banned rather than as a bad password. */
  private static boolean loginBanned(String id, String ip, String user) throws IOException {
    Mqtt5BlockingClient c = client(id, ip);
    try {
      c.connectWith().simpleAuth().username(user).password("wrong".getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth().send();
      c.disconnect();
      return false;
    } catch (Mqtt5ConnAckException e) {
      return e.getMqttMessage().getReasonCode() == Mqtt5ConnAckReasonCode.BANNED;
    } catch (RuntimeException e) {
      return true; // connection refused outright
    }
  }

  private void bruteForceIp(Run run, int rep) throws Exception {
    String ip = ip(3, rep, 0);
    run.target = ip;
    AtomicInteger n = new AtomicInteger();
    parallel(run, () -> {
      if (loginBanned("guesser-" + rep, ip, "guess-" + n.incrementAndGet())) {
        run.stop();
      }
    }, () -> false);
  }

  private void bruteForceUser(Run run, int rep) throws Exception {
    run.target = "victim-" + rep;
    AtomicInteger n = new AtomicInteger();
    parallel(run, () -> {
      int i = n.incrementAndGet();
      if (loginBanned("hammer-" + rep + "-" + i, ip(4, rep, i % 2), "victim-" + rep)) {
        run.stop();
      }
    }, () -> false);
  }

  private void bruteForceDistributed(Run run, int rep) throws Exception {
    run.target = "admin-" + rep;
    AtomicInteger n = new AtomicInteger();
    parallel(run, () -> {
      int i = n.incrementAndGet();
      if (loginBanned("bot-" + rep + "-" + i, ip(5, rep, i % 8), "admin-" + rep)) {
        run.stop();
      }
    }, () -> false);
  }

  private void malformed(Run run, int rep) throws Exception {
    String ip = ip(6, rep, 0);
    run.target = ip;
    parallel(run, () -> {
      try (RawMqttClient raw = new RawMqttClient(ip, fixture.port())) {
        raw.send(new byte[] {0x00, 0x00}); // reserved packet type 0
        raw.closedWithin(3000);
      }
    }, () -> banned(ip, "fuzz-probe-" + rep));
  }

  private void slowite(Run run, int rep) throws Exception {
    String ip = ip(7, rep, 0);
    run.target = ip;
    List<RawMqttClient> silent = new CopyOnWriteArrayList<>();
    AtomicInteger opened = new AtomicInteger();
    try {
      parallel(run, () -> {
        int n = opened.incrementAndGet();
        if (n > 150) {
          LockSupport.parkNanos(20_000_000); // all open: wait to be stopped
          return;
        }
        RawMqttClient raw = new RawMqttClient(ip, fixture.port());
        silent.add(raw);
        raw.send(new RawMqttClient.Connect(5).clientId("sleeper-" + rep + "-" + n).keepAlive(0).build());
        byte[] p = raw.readPacket();
        if (p == null || (p[3] & 0xff) == 0x8A) {
          run.stop(); // refused as banned
        }
      }, () -> !silent.isEmpty() && closedByBastion(silent.get(0)));
    } finally {
      for (RawMqttClient r : silent) {
        r.close();
      }
    }
  }

  /** Whether Bastion has closed (after its DISCONNECT) a session that sends nothing. */
  private static boolean closedByBastion(RawMqttClient raw) {
    try {
      return raw.closedWithin(100);
    } catch (IOException e) {
      return true;
    }
  }

  private void slowloris(Run run, int rep) throws Exception {
    String ip = ip(8, rep, 0);
    run.target = ip;
    List<Socket> trickling = new ArrayList<>();
    try {
      for (int i = 0; i < 60 && !run.stopped(); i++) {
        Socket s = new Socket(InetAddress.getByName("127.0.0.1"), fixture.port(), InetAddress.getByName(ip), 0);
        trickling.add(s);
        OutputStream o = s.getOutputStream();
        o.write(new byte[] {0x10, 0x7F, 0x00});
      }
      while (run.going()) {
        if (banned(ip, "loris-probe-" + rep)) {
          run.stop();
        } else {
          Thread.sleep(100);
        }
      }
    } finally {
      for (Socket s : trickling) {
        s.close();
      }
    }
  }

  private void wildcardScan(Run run, int rep) throws Exception {
    run.target = "scanner-" + rep;
    Mqtt5BlockingClient c = client("scanner-" + rep, ip(9, rep, 0));
    c.connect();
    try {
      c.subscribeWith().topicFilter("$SYS/#").send();
      while (run.going()) {
        try {
          c.subscribeWith().topicFilter("#").send();
          Thread.sleep(50);
        } catch (Mqtt5SubAckException refused) {
          run.stop();
        } catch (RuntimeException disconnected) {
          run.stop(); // a repeat offender is disconnected instead
        }
      }
    } finally {
      disconnectQuietly(c);
    }
  }

  private void topicEnumeration(Run run, int rep) throws Exception {
    run.target = "walker-" + rep;
    Mqtt5BlockingClient c = client("walker-" + rep, ip(10, rep, 0));
    c.connect();
    try {
      for (int i = 0; run.going(); i++) {
        try {
          c.publishWith().topic("probe/" + rep + "/" + i).qos(MqttQos.AT_LEAST_ONCE).send();
        } catch (Mqtt5PubAckException refused) {
          run.stop();
        } catch (RuntimeException disconnected) {
          run.stop(); // a repeat offender is disconnected instead
        }
      }
    } finally {
      disconnectQuietly(c);
    }
  }

  private void takeover(Run run, int rep) throws Exception {
    List<RawMqttClient> twins = new ArrayList<>();
    run.target = "twin-" + rep;
    try {
      for (int i = 0; run.going(); i++) {
        RawMqttClient raw = new RawMqttClient(ip(11, rep, i % 2), fixture.port());
        twins.add(raw);
        raw.send(new RawMqttClient.Connect(5).clientId("twin-" + rep).build());
        byte[] p = raw.readPacket();
        if (p == null || (p[3] & 0xff) == 0x8A) {
          run.stop();
        }
      }
    } finally {
      for (RawMqttClient r : twins) {
        r.close();
      }
    }
  }

  private void slowSubscriber(Run run, int rep) throws Exception {
    String topic = "slow/" + rep;
    run.target = "sloth-" + rep;
    try (RawMqttClient raw = new RawMqttClient(ip(12, rep, 0), fixture.port())) {
      raw.send(new RawMqttClient.Connect(5).clientId("sloth-" + rep).build());
      raw.readPacket();
      byte[] t = topic.getBytes(StandardCharsets.UTF_8);
      byte[] body = new byte[2 + 1 + 2 + t.length + 1];
      body[1] = 1;
      body[4] = (byte) t.length;
      System.arraycopy(t, 0, body, 5, t.length);
      body[body.length - 1] = 2; // QoS 2
      raw.send(RawMqttClient.packet(0x82, body));
      raw.readPacket();
      Mqtt5AsyncClient feed = MqttClient.builder().identifier("feeder-" + rep).serverHost("127.0.0.1")
          .serverPort(fixture.port()).transportConfig()
          .localAddress(new InetSocketAddress(InetAddress.getByName(ip(12, rep, 1)), 0)).applyTransportConfig()
          .useMqttVersion5().buildAsync();
      feed.connect().get(5, TimeUnit.SECONDS);
      for (int i = 0; i < 150; i++) {
        feed.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE).payload(new byte[16]).send();
      }
      try {
        byte[] p;
        do {
          p = raw.readPacket(); // deliveries it never acknowledges, then the DISCONNECT
        } while (p != null && (p[0] & 0xf0) == 0x30 && run.going());
        if (p == null || (p[0] & 0xff) == 0xE0) {
          run.stop();
        }
      } catch (IOException e) {
        // timed out: not stopped
      } finally {
        feed.disconnect();
      }
    }
  }

  private static void disconnectQuietly(Mqtt5BlockingClient c) {
    try {
      c.disconnect();
    } catch (RuntimeException e) {
      // already disconnected by Bastion
    }
  }
}
