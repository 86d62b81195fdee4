package io.bastion.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.backend.Broker;
import io.bastion.config.BrokerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two relay halves, bytes in and bytes out, on embedded channels. */
class RelayHandlersTest {

  private final Broker broker = new Broker("pool", new BrokerConfig("b1", "127.0.0.1", 1883, 1), 3, 1_000_000_000L);
  private final SessionRegistry registry = new SessionRegistry();
  private final TrafficStats traffic = new TrafficStats();
  private EmbeddedChannel client;
  private EmbeddedChannel brokerChannel;
  private Session session;

  private void open(int protocolLevel) {
    client = new EmbeddedChannel();
    brokerChannel = new EmbeddedChannel();
    session = new Session("c1", null, null, protocolLevel, "mqtt", client.remoteAddress(), client, broker, brokerChannel, registry, traffic);
    client.pipeline().addLast(new ClientRelayHandler(session));
    brokerChannel.pipeline().addLast(new BrokerRelayHandler(session));
    session.start(0, 0);
  }

  @BeforeEach
  void reset() {
    open(5);
  }

  private static ByteBuf publish() {
    return Unpooled.wrappedBuffer(new byte[] {0x30, 0x05, 0x00, 0x01, 'a', 'x', 'y'});
  }

  @Test
  void packetsPassUnchangedBothWays() {
    client.writeInbound(publish());
    ByteBuf atBroker = brokerChannel.readOutbound();
    assertThat(ByteBufUtil.getBytes(atBroker)).containsExactly(0x30, 0x05, 0x00, 0x01, 'a', 'x', 'y');
    atBroker.release();
    brokerChannel.writeInbound(publish());
    ByteBuf atClient = client.readOutbound();
    assertThat(ByteBufUtil.getBytes(atClient)).containsExactly(0x30, 0x05, 0x00, 0x01, 'a', 'x', 'y');
    atClient.release();
    assertThat(registry.size()).isEqualTo(1);
    assertThat(broker.load()).isEqualTo(1);
  }

  @Test
  void idleClientGetsKeepAliveTimeoutAndBothSidesClose() {
    client.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    ByteBuf disconnect = client.readOutbound();
    assertThat(ByteBufUtil.getBytes(disconnect)).containsExactly(0xE0, 0x02, 0x8D, 0x00);
    disconnect.release();
    client.runPendingTasks();
    assertThat(client.isOpen()).isFalse();
    assertThat(brokerChannel.isOpen()).isFalse();
    assertThat(registry.size()).isZero();
    assertThat(broker.load()).isZero();
  }

  @Test
  void movedClientsLeaveTheBrokerCleanlySoNoWillIsPublished() {
    session.disconnect(io.bastion.mqtt.ReasonCode.USE_ANOTHER_SERVER, "drain");
    ByteBuf toBroker = brokerChannel.readOutbound();
    assertThat(ByteBufUtil.getBytes(toBroker)).containsExactly(0xE0, 0x00);
    toBroker.release();
    ByteBuf toClient = client.readOutbound();
    assertThat(ByteBufUtil.getBytes(toClient)).containsExactly(0xE0, 0x02, 0x9C, 0x00);
    toClient.release();
    assertThat(brokerChannel.isOpen()).isFalse();
  }

  @Test
  void misbehavingClientsAreCutSoTheBrokerPublishesTheirWill() {
    client.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    assertThat((Object) brokerChannel.readOutbound()).isNull();
    assertThat(brokerChannel.isOpen()).isFalse();
    ((ByteBuf) client.readOutbound()).release();
  }

  @Test
  void mqtt311IdleClientIsJustClosed() {
    open(4);
    client.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    assertThat((Object) client.readOutbound()).isNull();
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void secondConnectIsAProtocolError() {
    client.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x10, 0x00}));
    ByteBuf disconnect = client.readOutbound();
    assertThat(ByteBufUtil.getBytes(disconnect)).containsExactly(0xE0, 0x02, 0x82, 0x00);
    disconnect.release();
    assertThat((Object) brokerChannel.readOutbound()).isNull();
  }

  @Test
  void unwritableBrokerStopsClientReadsUntilItDrains() {
    brokerChannel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    client.writeInbound(publish());
    assertThat(client.config().isAutoRead()).isFalse();
    brokerChannel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    brokerChannel.runPendingTasks();
    assertThat(client.config().isAutoRead()).isTrue();
    ((ByteBuf) brokerChannel.readOutbound()).release();
  }

  @Test
  void unwritableClientStopsBrokerReadsUntilItDrains() {
    client.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    brokerChannel.writeInbound(publish());
    assertThat(brokerChannel.config().isAutoRead()).isFalse();
    client.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    client.runPendingTasks();
    assertThat(brokerChannel.config().isAutoRead()).isTrue();
    ((ByteBuf) client.readOutbound()).release();
  }

  @Test
  void brokerCloseClosesTheClient() {
    brokerChannel.close();
    client.runPendingTasks();
    assertThat(client.isOpen()).isFalse();
    assertThat(registry.size()).isZero();
  }
}
