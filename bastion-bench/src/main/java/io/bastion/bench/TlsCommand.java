package io.bastion.bench;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * New TLS sessions per second against any MQTT-over-TLS endpoint: {@code --concurrency} workers
 * each connect, complete a full handshake (no session resumption: the engine is created without a
 * peer host, so nothing is cached), send CONNECT, wait for CONNACK, send DISCONNECT, close, and
 * start again. The server certificate is not checked: this is a benchmark, not a client.
 */
@Command(name = "tls", mixinStandardHelpOptions = true,
    description = "New TLS connections (handshake + CONNECT/CONNACK) per second.")
final class TlsCommand extends Scenario {

  @Option(names = "--concurrency", defaultValue = "32",
      description = "connections in progress at once. Default: ${DEFAULT-VALUE}")
  int concurrency;

  @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
      description = "Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(names = "--tls-provider", defaultValue = "auto",
      description = "auto (OpenSSL/BoringSSL when it loads), openssl or jdk. Default: ${DEFAULT-VALUE}")
  String provider;

  private final Recorder handshakeTime = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
  private final LongAdder ok = new LongAdder();
  private final AtomicInteger serial = new AtomicInteger();
  private volatile boolean running;
  private Connector connector;
  private String run;

  @Override
  Report run() throws InterruptedException, SSLException {
    SslProvider p = switch (provider) {
      case "jdk" -> SslProvider.JDK;
      case "openssl" -> SslProvider.OPENSSL;
      default -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    };
    SslContext ssl =
        SslContextBuilder.forClient()
            .sslProvider(p)
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .build();
    run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Report report = new Report("tls", common);
    try (Connector c = new Connector(common, ssl)) {
      connector = c;
      running = true;
      long t0 = System.nanoTime();
      for (int i = 0; i < concurrency; i++) {
        launch();
      }
      Thread.sleep(duration.toMillis());
      running = false;
      long t1 = System.nanoTime();
      long done = ok.sum();
      Histogram h = handshakeTime.getIntervalHistogram();
      double seconds = (t1 - t0) / 1e9;
      report.put("transport", c.transport().name().toLowerCase())
          .put("tls_provider", p.name().toLowerCase())
          .put("concurrency", concurrency)
          .put("duration_s", seconds)
          .put("sessions", done)
          .put("handshakes_per_s", done / seconds)
          .put("connack_p50_ms", h.getValueAtPercentile(50) / 1e6)
          .put("connack_p99_ms", h.getValueAtPercentile(99) / 1e6)
          .put("failures", failures.count())
          .put("failure_reasons", failures.summary());
      Thread.sleep(300);
    }
    return report;
  }

  private void launch() {
    if (running) {
      connector.connect(new Client(common.clientPrefix + "-tls-" + run + "-" + serial.getAndIncrement()), 10_000);
    }
  }

  /** Handshake, CONNECT, CONNACK, DISCONNECT; then the next one. */
  private final class Client extends LoadClient {
    private final long started = System.nanoTime();

    Client(String clientId) {
      super(clientId, 0);
    }

    @Override
    void onConnected() {
      if (running) {
        ok.increment();
        handshakeTime.recordValue(System.nanoTime() - started);
      }
      disconnect();
    }

    @Override
    void onClosed() {
      launch();
    }

    @Override
    void onFailed(String why) {
      if (running) {
        failures.add(why);
      }
      // do not spin on a refusing endpoint
      connector.group().next().schedule(TlsCommand.this::launch, 10, TimeUnit.MILLISECONDS);
    }
  }
}
