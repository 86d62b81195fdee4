package io.bastion.backend.discovery;

import io.bastion.backend.BrokerSource;
import io.bastion.config.BrokerConfig;
import io.bastion.config.DiscoveryConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows A, AAAA or SRV records of one name through Netty's DNS resolver, asking again when the
 * answer's TTL runs out (clamped to the configured range). An empty or failed answer is held, not
 * applied: a DNS hiccup must not empty a pool. For SRV, only the records of the best (lowest)
 * priority are used, each with its weight and port.
 */
final class DnsSource implements DiscoverySource {

  private static final Logger LOG = LoggerFactory.getLogger(DnsSource.class);
  private static final long QUERY_TIMEOUT_MILLIS = 2_000;

  private final DiscoveryConfig.Dns config;
  private final SourceStatus status;
  private final DnsNameResolver resolver;
  private final ScheduledExecutorService scheduler;
  private Consumer<List<BrokerConfig>> sink;
  private volatile ScheduledFuture<?> next;
  private volatile boolean closed;

  DnsSource(String pool, DiscoveryConfig.Dns config, EventLoop loop,
      Class<? extends DatagramChannel> channel, ScheduledExecutorService scheduler) {
    this.config = config;
    this.status = new SourceStatus(pool, BrokerSource.DNS);
    this.scheduler = scheduler;
    DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop)
        .datagramChannelType(channel)
        .resolveCache(NoopDnsCache.INSTANCE)
        .queryTimeoutMillis(QUERY_TIMEOUT_MILLIS)
        .recursionDesired(true);
    if (config.resolverHost() != null) {
      builder.nameServerProvider(new SingletonDnsServerAddressStreamProvider(
          new InetSocketAddress(config.resolverHost(), config.resolverPort())));
    }
    this.resolver = builder.build();
  }

  @Override
  public BrokerSource kind() {
    return BrokerSource.DNS;
  }

  @Override
  public SourceStatus status() {
    return status;
  }

  @Override
  public void start(Consumer<List<BrokerConfig>> sink) {
    this.sink = sink;
    schedule(Duration.ZERO);
  }

  private void schedule(Duration delay) {
    if (!closed) {
      next = scheduler.schedule(this::query, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void query() {
    DnsRecordType type = switch (config.type()) {
      case A -> DnsRecordType.A;
      case AAAA -> DnsRecordType.AAAA;
      case SRV -> DnsRecordType.SRV;
    };
    resolver.query(new DefaultDnsQuestion(config.name(), type)).addListener(f -> {
      if (!f.isSuccess()) {
        scheduler.execute(() -> failed(describe(f.cause())));
        return;
      }
      @SuppressWarnings("unchecked")
      AddressedEnvelope<DnsResponse, InetSocketAddress> envelope =
          (AddressedEnvelope<DnsResponse, InetSocketAddress>) f.getNow();
      Answer answer;
      try {
        answer = read(envelope.content(), type);
      } finally {
        envelope.release();
      }
      scheduler.execute(() -> answered(answer));
    });
  }

  private void answered(Answer answer) {
    if (answer.error != null) {
      failed(answer.error);
      return;
    }
    if (answer.brokers.isEmpty()) {
      failed("empty answer for " + config.type() + " " + config.name() + "; keeping the last good one");
      return;
    }
    status.succeeded(answer.brokers.size());
    sink.accept(answer.brokers);
    schedule(clamp(Duration.ofSeconds(answer.ttl)));
  }

  private void failed(String why) {
    status.failed(why);
    LOG.warn("DNS discovery of {} {} (pool {}): {}", config.type(), config.name(), status.pool(), why);
    schedule(config.minTtl());
  }

  private Duration clamp(Duration ttl) {
    if (ttl.compareTo(config.minTtl()) < 0) {
      return config.minTtl();
    }
    return ttl.compareTo(config.maxTtl()) > 0 ? config.maxTtl() : ttl;
  }

  private Answer read(DnsResponse response, DnsRecordType type) {
    if (response.code() != DnsResponseCode.NOERROR) {
      return new Answer(List.of(), 0, "DNS answered " + response.code());
    }
    List<BrokerConfig> brokers = new ArrayList<>();
    long ttl = Long.MAX_VALUE;
    int bestPriority = Integer.MAX_VALUE;
    for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
      DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
      if (r.type() != type || !(r instanceof DnsRawRecord raw)) {
        continue;
      }
      ByteBuf content = raw.content().duplicate();
      try {
        if (type == DnsRecordType.SRV) {
          int priority = content.readUnsignedShort();
          int weight = content.readUnsignedShort();
          int port = content.readUnsignedShort();
          String target = stripDot(DefaultDnsRecordDecoder.decodeName(content));
          if (priority < bestPriority) {
            bestPriority = priority;
            brokers.clear();
          }
          if (priority == bestPriority && port > 0) {
            brokers.add(broker(target, port, Math.max(1, Math.min(1000, weight))));
          }
        } else {
          byte[] address = new byte[content.readableBytes()];
          content.readBytes(address);
          brokers.add(broker(InetAddress.getByAddress(address).getHostAddress(), config.port(), 1));
        }
      } catch (RuntimeException | UnknownHostException e) {
        return new Answer(List.of(), 0, "malformed " + type + " record: " + describe(e));
      }
      ttl = Math.min(ttl, r.timeToLive());
    }
    brokers.sort(java.util.Comparator.comparing(BrokerConfig::id));
    return new Answer(brokers, ttl == Long.MAX_VALUE ? 0 : ttl, null);
  }

  private static BrokerConfig broker(String host, int port, int weight) {
    String id = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    return new BrokerConfig(id, host, port, weight);
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> n = next;
    if (n != null) {
      n.cancel(false);
    }
    resolver.close();
  }

  private record Answer(List<BrokerConfig> brokers, long ttl, String error) {}
}
