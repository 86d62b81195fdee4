package io.bastion.detect;

import io.bastion.mqtt.MqttDecodeException;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.SubscribePacket;
import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One session's feature counters, written by its event loop in O(1) without allocation (SUBSCRIBE,
 * rare, is parsed). Counts are cumulative and only grow; the detection thread reads them with
 * opaque loads and keeps its own snapshot to take differences, so neither side locks or waits.
 * Per-window maxima are double-buffered by window parity (see {@link WindowClock}): the event loop
 * empties a buffer the first time it writes in a new window, two windows after the detection
 * thread read it.
 */
public final class ClientCounters {

  /** Index of each cumulative count in {@link #counts}. */
  public static final int PUBLISHES = 0;
  public static final int SUBSCRIBES = 1;
  public static final int UNSUBSCRIBES = 2;
  public static final int PINGS = 3;
  public static final int OTHER = 4;
  public static final int BYTES_IN = 5;
  public static final int BYTES_OUT = 6;
  public static final int MESSAGES_OUT = 7;
  public static final int PAYLOAD_BYTES = 8;
  public static final int RETAINED = 9;
  public static final int QOS2 = 10;
  public static final int WILDCARD_FILTERS = 11;
  public static final int SYS_FILTERS = 12;
  public static final int FILTERS = 13;
  public static final int ACL_DENIALS = 14;
  /** QoS 1 and 2 messages delivered to the client. */
  public static final int QOS_OUT = 15;
  /** PUBACK and PUBCOMP the client sent for them. */
  public static final int ACKS_IN = 16;
  public static final int NEW_TOPICS = 17;
  /** Filters that take the whole tree: {@code #}, {@code +/#} and the like. */
  public static final int BROAD_FILTERS = 18;
  static final int COUNTS = 19;

  /** What detection asks the relay to do with this client's packets. */
  public static final int FREE = 0;
  public static final int THROTTLED = 1;
  public static final int DENIED = 2;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle RESTRICTION;

  static {
    try {
      RESTRICTION = MethodHandles.lookup().findVarHandle(ClientCounters.class, "restriction", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final WindowClock clock;
  private final boolean mqtt5;
  private final long[] counts = new long[COUNTS];
  private final TopicSketch topics = new TopicSketch();
  private int openEpoch = -1;
  private int epoch0 = -1;
  private int epoch1 = -1;
  private int payloadMax0;
  private int payloadMax1;
  private int depthMax0;
  private int depthMax1;
  private int restriction;
  private long throttlePauseNanos;
  /** Where malformed packets are counted too (set once, before the relay starts). */
  IpCounters address;
  ClientIdCounters clientId;

  public ClientCounters(WindowClock clock, int protocolLevel) {
    this.clock = clock;
    this.mqtt5 = protocolLevel == 5;
  }

  /** A packet from the client as relayed (event loop). */
  public void packetIn(ByteBuf packet, int type, int size) {
    long[] c = counts;
    c[BYTES_IN] += size;
    if (type == 3) {
      c[PUBLISHES]++;
      publish(packet, size);
    } else if (type == 4 || type == 7) { // PUBACK, PUBCOMP: a delivery to the client completed
      c[ACKS_IN]++;
      c[OTHER]++;
    } else if (type == 8) {
      c[SUBSCRIBES]++;
      subscribe(packet);
    } else if (type == 10) {
      c[UNSUBSCRIBES]++;
    } else if (type == 12) {
      c[PINGS]++;
    } else {
      c[OTHER]++;
    }
  }

  /** A packet from the broker to the client (event loop); {@code first} is its first byte. */
  public void packetOut(int first, int size) {
    long[] c = counts;
    c[BYTES_OUT] += size;
    if ((first >>> 4) == 3) {
      c[MESSAGES_OUT]++;
      if ((first & 0x06) != 0) {
        c[QOS_OUT]++;
      }
    }
  }

  /** The edge refused a PUBLISH or SUBSCRIBE of this client (event loop). */
  public void aclDenied() {
    counts[ACL_DENIALS]++;
  }

  private void publish(ByteBuf p, int size) {
    int r = p.readerIndex();
    int end = r + size;
    int first = p.getUnsignedByte(r);
    int i = r + 1;
    while (i < end && i < r + 5 && (p.getByte(i) & 0x80) != 0) {
      i++;
    }
    i++;
    if (i + 2 > end) {
      return; // malformed: the guard or the broker says so
    }
    int topicLength = p.getUnsignedShort(i);
    int topicStart = i + 2;
    int afterTopic = topicStart + topicLength;
    int qos = (first >>> 1) & 3;
    int payloadStart = afterTopic + (qos > 0 ? 2 : 0);
    if (mqtt5 && payloadStart < end) {
      int propertyLength = 0;
      int shift = 0;
      int j = payloadStart;
      int b;
      do {
        b = p.getUnsignedByte(j++);
        propertyLength |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0 && j < end && shift < 28);
      payloadStart = j + propertyLength;
    }
    if (payloadStart > end) {
      return;
    }
    long[] c = counts;
    int payload = end - payloadStart;
    c[PAYLOAD_BYTES] += payload;
    if ((first & 1) != 0) {
      c[RETAINED]++;
    }
    if (qos == 2) {
      c[QOS2]++;
    }
    int parity = roll();
    if (parity == 0) {
      payloadMax0 = Math.max(payloadMax0, payload);
    } else {
      payloadMax1 = Math.max(payloadMax1, payload);
    }
    if (topicLength == 0) {
      return; // MQTT 5 topic alias: the topic was counted when the alias was set
    }
    // eight bytes per read: a hash over the words, and the '/' in each word counted at once
    int hash = 0x811c9dc5;
    int depth = 1;
    int k = topicStart;
    for (; k + 8 <= afterTopic; k += 8) {
      long v = p.getLong(k);
      hash = ((hash ^ (int) v) * 0x01000193 ^ (int) (v >>> 32)) * 0x01000193;
      depth += slashes(v);
    }
    for (; k < afterTopic; k++) {
      byte ch = p.getByte(k);
      if (ch == '/') {
        depth++;
      }
      hash = (hash ^ ch) * 0x01000193;
    }
    if (parity == 0) {
      depthMax0 = Math.max(depthMax0, depth);
    } else {
      depthMax1 = Math.max(depthMax1, depth);
    }
    topics.add(hash, parity);
    c[NEW_TOPICS] = topics.newTopics;
  }

  private void subscribe(ByteBuf packet) {
    SubscribePacket sub;
    try {
      sub = SubscribePacket.parse(packet, mqtt5 ? 5 : 4);
    } catch (MqttDecodeException e) {
      return; // the guard or the broker answers a malformed SUBSCRIBE
    }
    long[] c = counts;
    for (SubscribePacket.Entry e : sub.entries()) {
      String f = e.filter();
      c[FILTERS]++;
      if (f.startsWith("$SYS")) {
        c[SYS_FILTERS]++;
      } else if (f.indexOf('#') >= 0 || f.indexOf('+') >= 0) {
        c[WILDCARD_FILTERS]++;
        if (broad(f)) {
          c[BROAD_FILTERS]++;
        }
      }
    }
  }

  private static final long SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;
  private static final long SLASHES = 0x2F2F2F2F2F2F2F2FL;

  /** How many bytes of {@code word} are '/': exact, no borrow between bytes. */
  static int slashes(long word) {
    long x = word ^ SLASHES; // a '/' byte becomes 0
    long t = (x & SEVEN_BITS) + SEVEN_BITS;
    return Long.bitCount(~(t | x | SEVEN_BITS));
  }

  /** {@code #}, {@code +/#}, {@code +/+/#}, also under a {@code $share/group/} prefix. */
  static boolean broad(String filter) {
    String f = filter;
    if (f.startsWith("$share/")) {
      int slash = f.indexOf('/', 7);
      f = slash < 0 ? "" : f.substring(slash + 1);
    }
    for (int i = 0; i < f.length(); i += 2) {
      char ch = f.charAt(i);
      if (ch == '#') {
        return i == f.length() - 1;
      }
      if (ch != '+' || i + 1 >= f.length() || f.charAt(i + 1) != '/') {
        return false;
      }
    }
    return false;
  }

  /** The parity buffer of the open window, emptied when this is its first write there. */
  private int roll() {
    int e = clock.epoch();
    int parity = e & 1;
    if (e != openEpoch) {
      openEpoch = e;
      if (parity == 0) {
        epoch0 = e;
        payloadMax0 = 0;
        depthMax0 = 0;
      } else {
        epoch1 = e;
        payloadMax1 = 0;
        depthMax1 = 0;
      }
      topics.clear(parity);
    }
    return parity;
  }

  // --- read by the detection thread ---

  /** A cumulative count (opaque load: atomic and eventually fresh, never torn). */
  public long count(int index) {
    return (long) LONGS.getOpaque(counts, index);
  }

  /** Starts a count at {@code value} (tests of counts that wrap past Long.MAX_VALUE). */
  void seed(int index, long value) {
    counts[index] = value;
  }

  /** Copies every cumulative count into {@code into}. */
  void snapshot(long[] into) {
    for (int i = 0; i < COUNTS; i++) {
      into[i] = (long) LONGS.getOpaque(counts, i);
    }
  }

  /** Largest payload published in the closed window {@code epoch}; 0 when none. */
  int payloadMax(int epoch) {
    return (epoch & 1) == 0 ? (epoch0 == epoch ? payloadMax0 : 0) : (epoch1 == epoch ? payloadMax1 : 0);
  }

  /** Deepest publish topic (levels) in the closed window {@code epoch}; 0 when none. */
  int depthMax(int epoch) {
    return (epoch & 1) == 0 ? (epoch0 == epoch ? depthMax0 : 0) : (epoch1 == epoch ? depthMax1 : 0);
  }

  /** Estimated distinct publish topics in the closed window {@code epoch}. */
  double distinctTopics(int epoch) {
    int parity = epoch & 1;
    return (parity == 0 ? epoch0 : epoch1) == epoch ? topics.distinct(parity) : 0;
  }

  /** QoS 1/2 deliveries the client has not acknowledged yet. */
  long inflight() {
    return Math.max(0, count(QOS_OUT) - count(ACKS_IN));
  }

  /** Sets what the relay does with this client's packets (detection thread). */
  public void restrict(int level) {
    restrict(level, throttlePauseNanos);
  }

  /** As {@link #restrict(int)}; a throttled client is paused this long after each PUBLISH. */
  void restrict(int level, long pauseNanos) {
    throttlePauseNanos = pauseNanos;
    RESTRICTION.setRelease(this, level);
  }

  /** How long to stop reading a throttled client after each PUBLISH (event loop). */
  public long throttlePauseNanos() {
    return throttlePauseNanos;
  }

  /** The session is ending over a malformed packet (event loop). */
  public void malformed() {
    if (address != null) {
      address.malformed.increment();
    }
    if (clientId != null) {
      clientId.malformed.increment();
    }
  }

  /** {@link #FREE}, {@link #THROTTLED} or {@link #DENIED} (event loop, per packet: a plain load). */
  public int restriction() {
    return (int) RESTRICTION.getAcquire(this);
  }
}
