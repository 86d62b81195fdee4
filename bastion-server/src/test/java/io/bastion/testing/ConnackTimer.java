package io.bastion.testing;

import io.bastion.mqtt.MqttMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Times CONNECT→CONNACK on fresh TCP connections, one after another: the TCP handshake is not
 * counted, the CONNECT is written in one piece and the clock stops when the CONNACK has arrived.
 */
public final class ConnackTimer {

  private static final byte[] DISCONNECT = {(byte) 0xE0, 0};

  private ConnackTimer() {}

  /** One connection from 127.0.0.1; fails unless the CONNACK accepts it. */
  public static long time(InetSocketAddress target, String clientId) throws IOException {
    return time(target, clientId, null);
  }

  /** One connection from {@code source} (null: any); fails unless the CONNACK accepts it. */
  public static long time(InetSocketAddress target, String clientId, java.net.InetAddress source) throws IOException {
    ByteBuf buf = MqttMessages.connect(UnpooledByteBufAllocator.DEFAULT, clientId, 60);
    byte[] connect = ByteBufUtil.getBytes(buf);
    buf.release();
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      if (source != null) {
        s.bind(new InetSocketAddress(source, 0));
      }
      s.connect(target, 5000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] connack = new byte[4];
      long start = System.nanoTime();
      out.write(connect);
      out.flush();
      in.readFully(connack);
      long elapsed = System.nanoTime() - start;
      if (connack[0] != 0x20 || connack[3] != 0) {
        throw new IOException("not an accepting CONNACK from " + target + ": " + ByteBufUtil.hexDump(connack));
      }
      out.write(DISCONNECT);
      out.flush();
      return elapsed;
    }
  }

  /**
   * {@code warmup} untimed rounds, then {@code count} timed rounds; each round connects once to every
   * target in turn, so slow phases of a shared machine hit all targets alike, forwards in even
   * rounds and backwards in odd ones, so no target is always first. Every connection comes from
   * another source address, as connections of many devices do (one address opening thousands would
   * rightly be taken for a flood). Returns the times per target, in target order.
   */
  public static List<long[]> interleaved(List<InetSocketAddress> targets, String idPrefix, int warmup, int count)
      throws IOException {
    List<long[]> times = new ArrayList<>();
    targets.forEach(t -> times.add(new long[count]));
    int sources = 0;
    for (int round = -warmup; round < count; round++) {
      for (int i = 0; i < targets.size(); i++) {
        int t = (round & 1) == 0 ? i : targets.size() - 1 - i;
        long nanos = time(targets.get(t), idPrefix + "-" + t + "-" + round,
            SourceAddresses.of(SourceAddresses.ONE_OFF, sources++ % (250 * 256)));
        if (round >= 0) {
          times.get(t)[round] = nanos;
        }
      }
    }
    return times;
  }
}
