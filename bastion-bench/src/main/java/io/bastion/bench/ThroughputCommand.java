package io.bastion.bench;

import io.bastion.mqtt.ClientPackets;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Delivered messages per second. Every client subscribes to its own topic and publishes to it, so
 * each message goes client → target → broker → target → same client. The brokers behind a
 * balancer are not bridged; with this loop a message never needs another broker, whatever broker
 * the balancer picked, and the same run works direct, through Bastion and through HAProxy.
 *
 * <p>Each client keeps at most {@code --window} messages in flight (published, not yet delivered
 * back), so the run measures sustainable delivery rather than how much a broker can queue.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
    description = "Publishers that subscribe to their own topic: delivered messages per second.")
final class ThroughputCommand extends Scenario {

  @Option(names = "--clients", defaultValue = "20",
      description = "clients; each publishes and subscribes (N publishers = N subscribers). Default: ${DEFAULT-VALUE}")
  int clients;

  @Option(names = "--qos", defaultValue = "0", description = "0 or 1. Default: ${DEFAULT-VALUE}")
  int qos;

  @Option(names = "--payload", defaultValue = "64", paramLabel = "BYTES",
      description = "payload size. Default: ${DEFAULT-VALUE}")
  int payload;

  @Option(names = "--window", defaultValue = "16",
      description = "messages in flight per client. Default: ${DEFAULT-VALUE}")
  int window;

  @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
      description = "measured time. Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class,
      description = "time before measuring. Default: ${DEFAULT-VALUE}")
  Duration warmup;

  private final LongAdder delivered = new LongAdder();
  private final LongAdder published = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder stalls = new LongAdder();
  private volatile boolean running;

  @Override
  Report run() throws InterruptedException {
    if (qos < 0 || qos > 1) {
      throw new IllegalArgumentException("--qos must be 0 or 1");
    }
    String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    byte[] body = new byte[payload];
    ThreadLocalRandom.current().nextBytes(body);
    Report report = new Report("throughput", common);
    try (Connector connector = new Connector(common, null)) {
      CountDownLatch ready = new CountDownLatch(clients);
      List<Client> all = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Client c = new Client(common.clientPrefix + "-tp-" + run + "-" + i, body, ready);
        all.add(c);
        connector.connect(c, 10_000);
      }
      if (!ready.await(30, TimeUnit.SECONDS)) {
        failures.add("not subscribed within 30 s: " + ready.getCount() + " client(s)");
      }
      running = true;
      for (Client c : all) {
        if (c.subscribed) {
          c.ctx.executor().execute(c::publishWindow);
        }
      }
      Thread.sleep(warmup.toMillis());
      long d0 = delivered.sum();
      long t0 = System.nanoTime();
      Thread.sleep(duration.toMillis());
      long d1 = delivered.sum();
      long t1 = System.nanoTime();
      running = false;
      Thread.sleep(500); // let what is in flight arrive
      for (Client c : all) {
        if (c.ctx != null) {
          c.ctx.executor().execute(c::disconnect);
        }
      }
      double seconds = (t1 - t0) / 1e9;
      report.put("transport", connector.transport().name().toLowerCase())
          .put("clients", clients)
          .put("qos", qos)
          .put("payload_bytes", payload)
          .put("window", window)
          .put("duration_s", seconds)
          .put("delivered", d1 - d0)
          .put("msg_per_s", (d1 - d0) / seconds)
          .put("payload_mib_per_s", (d1 - d0) * (double) payload / seconds / (1 << 20))
          .put("published_total", published.sum())
          .put("delivered_total", delivered.sum())
          .put("lost_total", published.sum() - delivered.sum())
          .put("stalls", stalls.sum())
          .put("dropped", dropped.sum())
          .put("failures", failures.count())
          .put("failure_reasons", failures.summary());
      Thread.sleep(200);
    }
    return report;
  }

  long failureCount() {
    return failures.count() + dropped.sum();
  }

  /** One client publishing to, and subscribed to, its own topic. */
  private final class Client extends LoadClient {
    private final byte[] topic;
    private final byte[] body;
    private final CountDownLatch ready;
    private volatile boolean subscribed;
    private int inFlight;
    private int packetId;
    private long lastDelivered;
    private long deliveredHere;

    Client(String clientId, byte[] body, CountDownLatch ready) {
      super(clientId, 60);
      this.topic = ("bench/" + clientId).getBytes(StandardCharsets.UTF_8);
      this.body = body;
      this.ready = ready;
    }

    @Override
    void onConnected() {
      ctx.writeAndFlush(ClientPackets.subscribe(ctx.alloc(), 1, new String(topic, StandardCharsets.UTF_8), qos));
    }

    @Override
    void onFailed(String why) {
      failures.add(why);
      ready.countDown();
    }

    @Override
    void onSubscribed() {
      subscribed = true;
      ready.countDown();
      // a lost QoS 0 message must not stall this client for good: refill when nothing came back
      ctx.executor().scheduleAtFixedRate(this::checkStall, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    void onMessage(ByteBuf packet, int payloadIndex, int payloadLength) {
      deliveredHere++;
      delivered.increment();
      inFlight--;
    }

    @Override
    void onReadComplete() {
      publishWindow();
    }

    @Override
    void onClosed() {
      if (running) {
        dropped.increment();
      }
    }

    void publishWindow() {
      if (!running || !ctx.channel().isActive()) {
        return;
      }
      boolean wrote = false;
      while (inFlight < window) {
        packetId = packetId == 65_535 ? 1 : packetId + 1;
        ByteBuf p = ClientPackets.publishHeader(ctx.alloc(), topic, qos, packetId, body.length);
        p.writeBytes(body);
        ctx.write(p, ctx.voidPromise());
        inFlight++;
        published.increment();
        wrote = true;
      }
      if (wrote) {
        ctx.flush();
      }
    }

    private void checkStall() {
      if (running && inFlight > 0 && deliveredHere == lastDelivered) {
        stalls.increment();
        inFlight = 0;
        publishWindow();
      }
      lastDelivered = deliveredHere;
    }
  }
}
