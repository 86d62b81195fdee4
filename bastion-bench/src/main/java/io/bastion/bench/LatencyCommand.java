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
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end latency at a fixed publish rate. Clients publish to their own topic on an open-loop
 * schedule (a send never waits for an earlier message to come back); the payload carries the
 * {@code System.nanoTime()} of the intended and of the actual send, and the delivery back to the
 * same client is timed in the same JVM.
 *
 * <p>Coordinated omission: the reported percentiles are measured from the <em>intended</em> send
 * time of each message, so a generator that falls behind (GC, a busy core) is charged for the wait
 * instead of silently sending later. This is the open-loop form of HdrHistogram's
 * expected-interval correction: a closed-loop tester adds the samples it could not send with
 * {@code recordValueWithExpectedInterval}; an open-loop tester sends them and charges each from its
 * slot, and adding synthetic samples as well would count the stall twice. The latency from the
 * actual send is reported too ({@code raw_*}); the two agree when the generator keeps up.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = "Fixed publish rate; end-to-end latency percentiles (HdrHistogram).")
final class LatencyCommand extends Scenario {

  private static final int STAMP = 16; // actual send nanos, intended send nanos

  @Option(names = "--clients", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}")
  int clients;

  @Option(names = "--rate", defaultValue = "5000",
      description = "messages per second, all clients together. Default: ${DEFAULT-VALUE}")
  int rate;

  @Option(names = "--qos", defaultValue = "0", description = "0 or 1. Default: ${DEFAULT-VALUE}")
  int qos;

  @Option(names = "--payload", defaultValue = "64", paramLabel = "BYTES",
      description = "payload size, at least 16. Default: ${DEFAULT-VALUE}")
  int payload;

  @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
      description = "measured time. Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class,
      description = "time before measuring. Default: ${DEFAULT-VALUE}")
  Duration warmup;

  // 1 µs .. 60 s, 3 significant digits; values in nanoseconds
  private final Recorder corrected = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
  private final Recorder raw = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();
  private volatile boolean running;
  private volatile boolean recording;
  private volatile long maxLagNanos;

  @Override
  Report run() throws InterruptedException {
    if (payload < STAMP) {
      throw new IllegalArgumentException("--payload must be at least " + STAMP);
    }
    long interval = Math.round(1e9 * clients / rate); // per client
    String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Report report = new Report("latency", common);
    try (Connector connector = new Connector(common, null)) {
      CountDownLatch ready = new CountDownLatch(clients);
      List<Client> all = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Client c = new Client(common.clientPrefix + "-lat-" + run + "-" + i, interval, ready);
        all.add(c);
        connector.connect(c, 10_000);
      }
      if (!ready.await(30, TimeUnit.SECONDS)) {
        failures.add("not subscribed within 30 s: " + ready.getCount() + " client(s)");
      }
      running = true;
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
      for (int i = 0; i < all.size(); i++) {
        Client c = all.get(i);
        long first = start + interval * i / clients; // spread the clients' slots evenly
        if (c.subscribed) {
          c.ctx.executor().execute(() -> c.begin(first));
        }
      }
      Thread.sleep(warmup.toMillis());
      corrected.reset();
      raw.reset();
      long s0 = sent.sum();
      long r0 = received.sum();
      recording = true;
      long t0 = System.nanoTime();
      Thread.sleep(duration.toMillis());
      recording = false;
      long t1 = System.nanoTime();
      Histogram h = corrected.getIntervalHistogram();
      Histogram hr = raw.getIntervalHistogram();
      long s1 = sent.sum();
      long r1 = received.sum();
      running = false;
      Thread.sleep(300);
      for (Client c : all) {
        if (c.ctx != null) {
          c.ctx.executor().execute(c::disconnect);
        }
      }
      double seconds = (t1 - t0) / 1e9;
      report.put("transport", connector.transport().name().toLowerCase())
          .put("clients", clients)
          .put("rate_target", rate)
          .put("qos", qos)
          .put("payload_bytes", payload)
          .put("duration_s", seconds)
          .put("rate_sent", (s1 - s0) / seconds)
          .put("rate_received", (r1 - r0) / seconds)
          .put("samples", h.getTotalCount())
          .put("p50_us", micros(h.getValueAtPercentile(50)))
          .put("p90_us", micros(h.getValueAtPercentile(90)))
          .put("p99_us", micros(h.getValueAtPercentile(99)))
          .put("p999_us", micros(h.getValueAtPercentile(99.9)))
          .put("max_us", micros(h.getMaxValue()))
          .put("mean_us", h.getMean() / 1000)
          .put("raw_p50_us", micros(hr.getValueAtPercentile(50)))
          .put("raw_p99_us", micros(hr.getValueAtPercentile(99)))
          .put("raw_max_us", micros(hr.getMaxValue()))
          .put("generator_max_lag_us", micros(maxLagNanos))
          .put("failures", failures.count())
          .put("failure_reasons", failures.summary());
      Thread.sleep(200);
    }
    return report;
  }

  private static double micros(long nanos) {
    return nanos / 1000.0;
  }

  /** One client on a fixed schedule, publishing to its own topic. */
  private final class Client extends LoadClient {
    private final long interval;
    private final byte[] topic;
    private final CountDownLatch ready;
    private volatile boolean subscribed;
    private long next;
    private int packetId;

    Client(String clientId, long interval, CountDownLatch ready) {
      super(clientId, 60);
      this.interval = interval;
      this.topic = ("bench/" + clientId).getBytes(StandardCharsets.UTF_8);
      this.ready = ready;
    }

    @Override
    void onConnected() {
      ctx.writeAndFlush(
          ClientPackets.subscribe(ctx.alloc(), 1, new String(topic, StandardCharsets.UTF_8), qos));
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
    }

    void begin(long first) {
      next = first;
      schedule();
    }

    private void schedule() {
      if (running && ctx.channel().isActive()) {
        ctx.executor().schedule(this::tick, next - System.nanoTime(), TimeUnit.NANOSECONDS);
      }
    }

    private void tick() {
      if (!running) {
        return;
      }
      long now = System.nanoTime();
      long lag = now - next;
      if (lag > maxLagNanos && recording) {
        maxLagNanos = lag;
      }
      boolean wrote = false;
      while (next <= now) { // after a stall, send every message that is due (open loop)
        packetId = packetId == 65_535 ? 1 : packetId + 1;
        ByteBuf p = ClientPackets.publishHeader(ctx.alloc(), topic, qos, packetId, payload);
        p.writeLong(System.nanoTime()).writeLong(next).writeZero(payload - STAMP);
        ctx.write(p, ctx.voidPromise());
        sent.increment();
        next += interval;
        wrote = true;
      }
      if (wrote) {
        ctx.flush();
      }
      schedule();
    }

    @Override
    void onMessage(ByteBuf packet, int payloadIndex, int payloadLength) {
      long now = System.nanoTime();
      received.increment();
      if (recording && payloadLength >= STAMP) {
        long actual = packet.getLong(payloadIndex);
        long intended = packet.getLong(payloadIndex + 8);
        corrected.recordValue(Math.max(0, now - intended));
        raw.recordValue(Math.max(0, now - actual));
      }
    }
  }
}
