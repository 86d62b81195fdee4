package io.bastion.admin;

import io.bastion.Transport;
import io.bastion.config.AdminConfig;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin HTTP server: API, metrics, health and dashboard on their own listener. */
public final class AdminServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final int MAX_BODY = 1024 * 1024;

  private final Channel channel;
  private final ExecutorService work;
  private final MetricsBinder metrics;

  private Runnable detachMeters = () -> { };

  private AdminServer(Channel channel, ExecutorService work, MetricsBinder metrics) {
    this.channel = channel;
    this.work = work;
    this.metrics = metrics;
  }

  public static AdminServer start(
      AdminConfig config, NodeControl node, Transport transport, EventLoopGroup group)
      throws InterruptedException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MetricsBinder metrics =
        new MetricsBinder(registry, node::listeners, node::pools, () -> node.discovery().statuses(),
            node.traffic(),
            () -> node.sessions().size(), () -> node.events().total());
    metrics.bindSecurity(node.events());
    metrics.bindPriority(node.priority());
    ClusterMetrics.bind(registry, node.cluster());
    CompositeMeterRegistry shared = node.meters();
    if (shared != null) {
      shared.add(registry);
    }
    metrics.bindDetection(node.detection());
    AdminApi api = new AdminApi(node, registry, metrics, config.drainRate());
    StaticFiles files = new StaticFiles();
    ExecutorService work = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bastion-admin");
      t.setDaemon(true);
      return t;
    });
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new ReadTimeoutHandler(60))
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(MAX_BODY))
                .addLast(new AdminHttpHandler(api, files, config.token(), work));
          }
        });
    Channel channel;
    try {
      channel = bootstrap.bind(new InetSocketAddress(config.bind(), config.port())).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      work.shutdownNow();
      metrics.close();
      if (shared != null) {
        shared.remove(registry);
      }
      throw e;
    }
    AdminServer server = new AdminServer(channel, work, metrics);
    server.detachMeters = shared == null ? () -> { } : () -> shared.remove(registry);
    LOG.info("admin API, metrics and dashboard on http://{}:{}/ ({})", config.bind(), server.port(),
        config.token() == null ? "no token: loopback only" : "bearer token required");
    return server;
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    detachMeters.run();
    channel.close().syncUninterruptibly();
    work.shutdownNow();
    metrics.close();
  }
}
