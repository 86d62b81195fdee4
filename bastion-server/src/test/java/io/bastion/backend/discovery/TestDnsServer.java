package io.bastion.backend.discovery;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A DNS server on loopback (Netty codec-dns) that answers SRV queries with records it is given. */
final class TestDnsServer implements AutoCloseable {

  record Srv(int priority, int weight, int port, String target) {}

  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel channel;
  private final AtomicInteger queries = new AtomicInteger();
  private volatile List<Srv> records = List.of();
  private volatile long ttl = 1;

  TestDnsServer() throws InterruptedException {
    channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                new Answerer());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  void serve(long ttlSeconds, List<Srv> srv) {
    this.ttl = ttlSeconds;
    this.records = List.copyOf(srv);
  }

  int queries() {
    return queries.get();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      queries.incrementAndGet();
      DnsQuestion q = query.recordAt(DnsSection.QUESTION);
      DatagramDnsResponse response =
          new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      response.setRecursionAvailable(true);
      response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
      if (q.type() == DnsRecordType.SRV) {
        for (Srv s : records) {
          ByteBuf content = Unpooled.buffer();
          content.writeShort(s.priority()).writeShort(s.weight()).writeShort(s.port());
          for (String label : s.target().split("\\.")) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            content.writeByte(b.length).writeBytes(b);
          }
          content.writeByte(0);
          response.addRecord(DnsSection.ANSWER,
              new DefaultDnsRawRecord(q.name(), DnsRecordType.SRV, ttl, content));
        }
      }
      ctx.writeAndFlush(response);
    }
  }
}
