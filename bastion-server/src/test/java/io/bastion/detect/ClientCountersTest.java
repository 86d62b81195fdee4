package io.bastion.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

class ClientCountersTest {

  private final WindowClock clock = new WindowClock();

  private static void in(ClientCounters c, ByteBuf p) {
    c.packetIn(p, p.getUnsignedByte(0) >>> 4, p.readableBytes());
    p.release();
  }

  @Test
  void publishesCountPayloadRetainedQos2AndDepthInMqtt311() {
    ClientCounters c = new ClientCounters(clock, 4);
    in(c, Packets.publish("a/b/c", 0, false, 10, false));
    in(c, Packets.publish("a/b", 2, true, 30, false));
    assertThat(c.count(ClientCounters.PUBLISHES)).isEqualTo(2);
    assertThat(c.count(ClientCounters.PAYLOAD_BYTES)).isEqualTo(40);
    assertThat(c.count(ClientCounters.RETAINED)).isEqualTo(1);
    assertThat(c.count(ClientCounters.QOS2)).isEqualTo(1);
    clock.advance();
    assertThat(c.payloadMax(0)).isEqualTo(30);
    assertThat(c.depthMax(0)).isEqualTo(3);
  }

  @Test
  void mqtt5PropertiesAreNotCountedAsPayload() {
    ClientCounters c = new ClientCounters(clock, 5);
    ByteBuf p = Packets.publish("t", 1, false, 7, true);
    int size = p.readableBytes();
    in(c, p);
    assertThat(c.count(ClientCounters.PAYLOAD_BYTES)).isEqualTo(7);
    assertThat(c.count(ClientCounters.BYTES_IN)).isEqualTo(size);
  }

  @Test
  void aTruncatedPublishCountsAsAPacketButNotAsPayload() {
    ClientCounters c = new ClientCounters(clock, 4);
    ByteBuf p = Packets.packet(0x30, new byte[] {0, 9, 'a'}); // topic length beyond the packet
    in(c, p);
    assertThat(c.count(ClientCounters.PUBLISHES)).isEqualTo(1);
    assertThat(c.count(ClientCounters.PAYLOAD_BYTES)).isZero();
  }

  @Test
  void packetTypesAreCountedApart() {
    ClientCounters c = new ClientCounters(clock, 4);
    in(c, Packets.packet(0xC0, new byte[0])); // PINGREQ
    in(c, Packets.packet(0xA2, new byte[] {0, 1, 0, 1, 'a'})); // UNSUBSCRIBE
    in(c, Packets.packet(0xE0, new byte[0])); // DISCONNECT
    assertThat(c.count(ClientCounters.PINGS)).isEqualTo(1);
    assertThat(c.count(ClientCounters.UNSUBSCRIBES)).isEqualTo(1);
    assertThat(c.count(ClientCounters.OTHER)).isEqualTo(1);
    assertThat(c.count(ClientCounters.BYTES_IN)).isEqualTo(2 + 7 + 2);
  }

  @Test
  void subscriptionsAreSortedIntoWildcardBroadAndSys() {
    ClientCounters c = new ClientCounters(clock, 5);
    in(c, Packets.subscribe(true, "#", "a/+/c", "$SYS/#", "plain/topic", "$share/g/+/#"));
    assertThat(c.count(ClientCounters.SUBSCRIBES)).isEqualTo(1);
    assertThat(c.count(ClientCounters.FILTERS)).isEqualTo(5);
    assertThat(c.count(ClientCounters.WILDCARD_FILTERS)).isEqualTo(3);
    assertThat(c.count(ClientCounters.BROAD_FILTERS)).isEqualTo(2);
    assertThat(c.count(ClientCounters.SYS_FILTERS)).isEqualTo(1);
  }

  @Test
  void slashesAreCountedEightBytesAtATime() {
    assertThat(ClientCounters.slashes(0x2F2F2F2F2F2F2F2FL)).isEqualTo(8);
    assertThat(ClientCounters.slashes(0L)).isZero();
    assertThat(ClientCounters.slashes(0x612F622F0000AF2FL)).isEqualTo(3); // 0xAF is not '/'
    ClientCounters c = new ClientCounters(clock, 4);
    in(c, Packets.publish("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z", 0, false, 1, false));
    clock.advance();
    assertThat(c.depthMax(0)).isEqualTo(26);
  }

  @Test
  void broadFilters() {
    assertThat(ClientCounters.broad("#")).isTrue();
    assertThat(ClientCounters.broad("+/#")).isTrue();
    assertThat(ClientCounters.broad("+/+/#")).isTrue();
    assertThat(ClientCounters.broad("+")).isFalse();
    assertThat(ClientCounters.broad("a/#")).isFalse();
    assertThat(ClientCounters.broad("$share/g/#")).isTrue();
  }

  @Test
  void deliveriesAndAcknowledgementsGiveTheInflightCount() {
    ClientCounters c = new ClientCounters(clock, 4);
    c.packetOut(0x32, 20); // QoS 1
    c.packetOut(0x34, 20); // QoS 2
    c.packetOut(0x30, 20); // QoS 0
    c.packetOut(0x90, 5); // SUBACK
    assertThat(c.count(ClientCounters.MESSAGES_OUT)).isEqualTo(3);
    assertThat(c.count(ClientCounters.BYTES_OUT)).isEqualTo(65);
    assertThat(c.inflight()).isEqualTo(2);
    in(c, Packets.ack(4, 1)); // PUBACK
    in(c, Packets.ack(5, 2)); // PUBREC: the QoS 2 flow is not complete yet
    assertThat(c.inflight()).isEqualTo(1);
    in(c, Packets.ack(7, 2)); // PUBCOMP
    assertThat(c.inflight()).isZero();
  }

  @Test
  void distinctAndNewTopicsPerWindow() {
    ClientCounters c = new ClientCounters(clock, 4);
    for (int i = 0; i < 20; i++) {
      in(c, Packets.publish("t/" + (i % 5), 0, false, 1, false));
    }
    assertThat(c.count(ClientCounters.NEW_TOPICS)).isEqualTo(5);
    clock.advance();
    assertThat(c.distinctTopics(0)).isCloseTo(5, within(0.5));
    in(c, Packets.publish("t/1", 0, false, 1, false));
    in(c, Packets.publish("t/new", 0, false, 1, false));
    assertThat(c.count(ClientCounters.NEW_TOPICS)).isEqualTo(6);
    clock.advance();
    assertThat(c.distinctTopics(1)).isCloseTo(2, within(0.5));
    assertThat(c.distinctTopics(0)).as("window 0 is not overwritten by window 1").isCloseTo(5, within(0.5));
  }

  @Test
  void aWindowWithoutPublishesReportsNoMaximumEvenWhenItsBufferHoldsAnOlderWindow() {
    ClientCounters c = new ClientCounters(clock, 4);
    in(c, Packets.publish("a/b/c/d", 0, false, 99, false)); // window 0
    clock.advance(); // window 1: nothing
    clock.advance(); // window 2 shares window 0's buffer
    assertThat(c.payloadMax(2)).isZero();
    assertThat(c.depthMax(2)).isZero();
    assertThat(c.distinctTopics(2)).isZero();
    in(c, Packets.publish("x", 0, false, 3, false)); // first write in window 2 empties the buffer
    clock.advance();
    assertThat(c.payloadMax(2)).isEqualTo(3);
    assertThat(c.depthMax(2)).isEqualTo(1);
  }

  @Test
  void countsThatWrapPastLongMaxStillGiveTheRightDifference() {
    ClientCounters c = new ClientCounters(clock, 4);
    c.seed(ClientCounters.BYTES_IN, Long.MAX_VALUE - 5);
    long before = c.count(ClientCounters.BYTES_IN);
    in(c, Packets.publish("t", 0, false, 20, false));
    long after = c.count(ClientCounters.BYTES_IN);
    assertThat(after).isNegative();
    assertThat(after - before).isEqualTo(25);
  }

  @Test
  void windowNumbersThatWrapPastIntegerMaxKeepTheirParity() {
    WindowClock wrapping = new WindowClock(Integer.MAX_VALUE);
    ClientCounters c = new ClientCounters(wrapping, 4);
    in(c, Packets.publish("a", 0, false, 11, false));
    int closed = wrapping.advance() - 1;
    assertThat(wrapping.epoch()).isEqualTo(Integer.MIN_VALUE);
    in(c, Packets.publish("b/c", 0, false, 4, false));
    assertThat(c.payloadMax(closed)).isEqualTo(11);
    wrapping.advance();
    assertThat(c.payloadMax(Integer.MIN_VALUE)).isEqualTo(4);
  }

  @Test
  void restrictionAndMalformedReachTheAddress() {
    ClientCounters c = new ClientCounters(clock, 4);
    assertThat(c.restriction()).isEqualTo(ClientCounters.FREE);
    c.restrict(ClientCounters.THROTTLED, 5_000_000);
    assertThat(c.restriction()).isEqualTo(ClientCounters.THROTTLED);
    assertThat(c.throttlePauseNanos()).isEqualTo(5_000_000);
    c.address = new IpCounters("127.0.0.9");
    c.malformed();
    assertThat(c.address.malformed.current()).isEqualTo(1);
    c.aclDenied();
    assertThat(c.count(ClientCounters.ACL_DENIALS)).isEqualTo(1);
  }
}
