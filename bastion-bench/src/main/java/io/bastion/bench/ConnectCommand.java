package io.bastion.bench;

import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Connection storm: opens {@code --connections} MQTT sessions with at most {@code --concurrency}
 * waiting for their CONNACK at any time, then holds them all idle for {@code --hold} (measure the
 * target's memory meanwhile; {@code --ready-file} is written when the storm is over) and counts
 * the sessions the target dropped while idle.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
    description = "Connection storm: CONNACKs per second and failures, then hold the sessions idle.")
final class ConnectCommand extends Scenario {

  @Option(names = "--connections", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}")
  int connections;

  @Option(names = "--concurrency", defaultValue = "100",
      description = "connections waiting for their CONNACK at once. Default: ${DEFAULT-VALUE}")
  int concurrency;

  @Option(names = "--keepalive", defaultValue = "60", paramLabel = "SECONDS",
      description = "MQTT keepalive; PINGREQ every 3/4 of it. Default: ${DEFAULT-VALUE}")
  int keepAlive;

  @Option(names = "--connect-timeout", defaultValue = "10s", converter = DurationConverter.class,
      description = "for TCP connect and for the CONNACK. Default: ${DEFAULT-VALUE}")
  Duration connectTimeout;

  @Option(names = "--hold", defaultValue = "10s", converter = DurationConverter.class,
      description = "how long the sessions stay open after the storm. Default: ${DEFAULT-VALUE}")
  Duration hold;

  @Option(names = "--ready-file", paramLabel = "FILE",
      description = "written (with the number of open sessions) when the storm is over and the hold begins")
  Path readyFile;

  private final Recorder connackTime = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
  private final LongAdder ok = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicInteger launched = new AtomicInteger();
  private final AtomicLong lastDone = new AtomicLong();
  private volatile boolean holding;
  private AtomicReferenceArray<Client> clients;
  private CountDownLatch done;
  private Connector connector;
  private String run;

  @Override
  boolean passed() {
    return dropped.sum() == 0;
  }

  @Override
  Report run() throws Exception {
    run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    clients = new AtomicReferenceArray<>(connections);
    done = new CountDownLatch(connections);
    Report report = new Report("connect", common);
    try (Connector c = new Connector(common, null)) {
      connector = c;
      long t0 = System.nanoTime();
      lastDone.set(t0);
      for (int i = 0; i < Math.min(concurrency, connections); i++) {
        launchNext();
      }
      long waitMillis = connectTimeout.toMillis() * 2 + connections * 10L;
      if (!done.await(waitMillis, TimeUnit.MILLISECONDS)) {
        failures.add("storm not finished after " + waitMillis + " ms: " + done.getCount() + " left");
      }
      double seconds = (lastDone.get() - t0) / 1e9;
      long connected = ok.sum();
      Histogram h = connackTime.getIntervalHistogram();
      holding = true;
      if (readyFile != null) {
        Files.writeString(readyFile, connected + "\n", StandardCharsets.UTF_8);
      }
      Thread.sleep(hold.toMillis());
      long open = 0;
      for (int i = 0; i < connections; i++) {
        Client client = clients.get(i);
        if (client != null && client.isConnected() && client.ctx.channel().isActive()) {
          open++;
        }
      }
      holding = false;
      report.put("transport", c.transport().name().toLowerCase())
          .put("connections", connections)
          .put("concurrency", concurrency)
          .put("connected", connected)
          .put("failures", failures.count())
          .put("storm_s", seconds)
          .put("connects_per_s", connected / seconds)
          .put("connack_p50_ms", h.getValueAtPercentile(50) / 1e6)
          .put("connack_p99_ms", h.getValueAtPercentile(99) / 1e6)
          .put("connack_max_ms", h.getMaxValue() / 1e6)
          .put("hold_s", hold.toMillis() / 1000.0)
          .put("open_after_hold", open)
          .put("dropped_during_hold", dropped.sum())
          .put("failure_reasons", failures.summary());
      for (int i = 0; i < connections; i++) {
        Client client = clients.get(i);
        if (client != null && client.ctx != null) {
          client.ctx.executor().execute(client::disconnect);
        }
      }
      Thread.sleep(500); // let the DISCONNECTs go out before the event loops stop
    }
    return report;
  }

  long failureCount() {
    return failures.count() + dropped.sum();
  }

  private void launchNext() {
    int i = launched.getAndIncrement();
    if (i >= connections) {
      return;
    }
    Client client = new Client(common.clientPrefix + "-con-" + run + "-" + i);
    clients.set(i, client);
    connector.connect(client, (int) connectTimeout.toMillis());
  }

  /** One session that connects, then stays idle. */
  private final class Client extends LoadClient {
    private final long started = System.nanoTime();
    private boolean finished;

    Client(String clientId) {
      super(clientId, keepAlive);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      super.handlerAdded(ctx);
      // no CONNACK in time is a failure like any other
      ctx.executor().schedule(() -> {
        if (!isConnected()) {
          fail("no CONNACK within " + connectTimeout.toMillis() + " ms");
          ctx.close();
        }
      }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    void onConnected() {
      long now = System.nanoTime();
      connackTime.recordValue(now - started);
      ok.increment();
      finish(now);
    }

    @Override
    void onFailed(String why) {
      failures.add(why);
      finish(System.nanoTime());
    }

    @Override
    void onClosed() {
      if (holding) {
        dropped.increment();
      }
    }

    private void finish(long now) {
      if (finished) {
        return;
      }
      finished = true;
      lastDone.accumulateAndGet(now, Math::max);
      done.countDown();
      launchNext();
    }
  }
}
