package io.bastion.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bastion.testing.ProxyFixture;
import io.bastion.testing.RawMqttClient;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PROXY protocol in (v1 and v2, trusted sources only) and v2 out to a pool, checked by Netty's
 * decoder in a small backend, since the test brokers (HiveMQ CE) do not speak PROXY protocol.
 */
class ProxyProtocolIT {

  private static final EventLoopGroup backendGroup = new NioEventLoopGroup(1);
  private static final List<Received> headers = new CopyOnWriteArrayList<>();
  private static Channel backend;
  private static ProxyFixture fixture;

  /** What the backend saw: the decoded header and its v2 wire bytes. */
  record Received(String command, String source, int sourcePort, int destinationPort, int version) {}

  @BeforeAll
  static void start() throws Exception {
    backend = new ServerBootstrap().group(backendGroup).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HAProxyMessageDecoder(), new HeaderRecordingBroker());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    int backendPort = ((InetSocketAddress) backend.localAddress()).getPort();
    fixture = ProxyFixture.startYaml(3, java.nio.file.Path.of("."), f -> """
        listeners:
          - name: behind-lb
            bind: 127.0.0.1
            port: 0
            proxy-protocol: { trusted: [127.0.0.1/32, "::1"] }
          - name: untrusting
            bind: 127.0.0.1
            port: 0
            proxy-protocol: { trusted: [10.0.0.0/8] }
        pools:
          - name: brokers
            health: { interval: 500ms, timeout: 400ms, rise: 1 }
            brokers:
        """ + f.brokersYaml("      ") + """
          - name: proxied
            proxy-protocol-out: true
            health: { interval: 500ms, timeout: 400ms, rise: 1 }
            brokers:
              - { id: header-checker, host: 127.0.0.1, port: %d }
          - name: gone
            health: { enabled: false }
            brokers:
              - { id: nobody-listens, host: 127.0.0.1, port: %d }
        rules:
          - { pool: proxied, client-id: "proxied-*" }
          - name: hybrid
            client-id: "hybrid-*"
            pools: [{ pool: gone, priority: 1 }, { pool: proxied, priority: 2 }]
          - { pool: brokers }
        admin:
          port: 0
        """.formatted(backendPort, io.bastion.testing.Ports.freePort()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
    if (backend != null) {
      backend.close().sync();
    }
    backendGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
  }

  private static Listener listener(String name) {
    return fixture.bastion().listeners().stream().filter(l -> l.name().equals(name)).findFirst().get();
  }

  private static byte[] v2Header(String source, int sourcePort, String destination, int destinationPort) {
    EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
    encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
        HAProxyProxiedProtocol.TCP4, source, destination, sourcePort, destinationPort));
    ByteBuf bytes = encoder.readOutbound();
    try {
      return ByteBufUtil.getBytes(bytes);
    } finally {
      bytes.release();
    }
  }

  private static String sessionsJson(String clientId) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + fixture.bastion().adminPort() + "/api/sessions?client-id=" + clientId)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  @Test
  void v1HeaderFromTrustedBalancerGivesTheRealAddress() throws Exception {
    int port = fixture.bastion().port("behind-lb");
    byte[] header = ("PROXY TCP4 203.0.113.7 127.0.0.1 40001 " + port + "\r\n").getBytes(StandardCharsets.US_ASCII);
    try (RawMqttClient c = new RawMqttClient(port)) {
      c.send(header).send(new RawMqttClient.Connect(4).clientId("via-v1").build());
      assertThat(c.readPacket()[0]).isEqualTo((byte) 0x20);
      await().atMost(Duration.ofSeconds(5)).until(() -> sessionsJson("via-v1").contains("203.0.113.7:40001"));
    }
  }

  @Test
  void v2HeaderFromTrustedBalancerGivesTheRealAddress() throws Exception {
    int port = fixture.bastion().port("behind-lb");
    try (RawMqttClient c = new RawMqttClient(port)) {
      c.send(v2Header("198.51.100.9", 51000, "127.0.0.1", port))
          .send(new RawMqttClient.Connect(5).clientId("via-v2").build());
      assertThat(c.readPacket()[0]).isEqualTo((byte) 0x20);
      await().atMost(Duration.ofSeconds(5)).until(() -> sessionsJson("via-v2").contains("198.51.100.9:51000"));
    }
  }

  @Test
  void untrustedSourcesAreClosedAndCounted() throws Exception {
    Listener untrusting = listener("untrusting");
    long before = untrusting.stats().proxyProtocolRejections();
    try (RawMqttClient c = new RawMqttClient(untrusting.port())) {
      assertThat(c.closedWithin(5000)).isTrue();
    }
    assertThat(untrusting.stats().proxyProtocolRejections()).isEqualTo(before + 1);
  }

  @Test
  void missingHeaderFromTrustedSourceIsClosedAndCounted() throws Exception {
    Listener lb = listener("behind-lb");
    long before = lb.stats().proxyProtocolRejections();
    try (RawMqttClient c = new RawMqttClient(lb.port())) {
      // longer than any v1 header line, so the decoder gives up at once
      c.send(new RawMqttClient.Connect(5).clientId("no-header").padding(200).build());
      assertThat(c.closedWithin(5000)).isTrue();
    }
    // counted when the rejection is handled, which may be just after the socket closed
    await().atMost(Duration.ofSeconds(5)).until(() -> lb.stats().proxyProtocolRejections() == before + 1);
  }

  @Test
  void poolWithProxyProtocolOutTellsTheBrokerTheClientsAddress() throws Exception {
    int port = fixture.bastion().port("behind-lb");
    byte[] header = ("PROXY TCP4 192.0.2.44 127.0.0.1 45678 " + port + "\r\n").getBytes(StandardCharsets.US_ASCII);
    try (RawMqttClient c = new RawMqttClient(port)) {
      c.send(header).send(new RawMqttClient.Connect(4).clientId("proxied-1").build());
      assertThat(c.readPacket()[0]).isEqualTo((byte) 0x20);
    }
    assertThat(headers).contains(new Received("PROXY", "192.0.2.44", 45678, port, 2));
    // the health probes are Bastion's own connections: LOCAL, no address
    await().atMost(Duration.ofSeconds(5)).until(() -> headers.stream().anyMatch(h -> h.command().equals("LOCAL")));
  }

  @Test
  void failoverToAnotherPoolOfAPriorityRuleUsesThatPoolsProxyProtocol() throws Exception {
    int port = fixture.bastion().port("behind-lb");
    byte[] header = ("PROXY TCP4 192.0.2.66 127.0.0.1 45679 " + port + "\r\n").getBytes(StandardCharsets.US_ASCII);
    try (RawMqttClient c = new RawMqttClient(port)) {
      // the best pool's only broker refuses: the client fails over to the reserve pool, whose
      // brokers expect a PROXY header
      c.send(header).send(new RawMqttClient.Connect(4).clientId("hybrid-1").build());
      assertThat(c.readPacket()[0]).isEqualTo((byte) 0x20);
    }
    assertThat(headers).contains(new Received("PROXY", "192.0.2.66", 45679, port, 2));
  }

  /** Reads the PROXY header (Netty's decoder), then answers any CONNECT with CONNACK accepted. */
  private static final class HeaderRecordingBroker extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HAProxyMessage h) {
        headers.add(new Received(h.command().name(), h.sourceAddress(), h.sourcePort(),
            h.destinationPort(), h.protocolVersion() == HAProxyProtocolVersion.V2 ? 2 : 1));
        h.release();
        return;
      }
      ByteBuf bytes = (ByteBuf) msg;
      boolean connect = bytes.readableBytes() > 0 && (bytes.getUnsignedByte(bytes.readerIndex()) >> 4) == 1;
      bytes.release();
      if (connect) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x20, 0x02, 0x00, 0x00}));
      }
    }
  }
}
