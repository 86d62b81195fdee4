package io.bastion.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A socket that speaks MQTT byte by byte, for what real clients refuse to send: garbage, broken
 * CONNECTs, oversized packets, silence.
 */
public final class RawMqttClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;

  public RawMqttClient(int port) throws IOException {
    this(null, port);
  }

  /** A client whose socket is bound to {@code localAddress} (e.g. 127.0.0.5), or any when null. */
  public RawMqttClient(String localAddress, int port) throws IOException {
    socket = localAddress == null ? new Socket("127.0.0.1", port)
        : new Socket(java.net.InetAddress.getByName("127.0.0.1"), port,
            java.net.InetAddress.getByName(localAddress), 0);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
  }

  public RawMqttClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** The next whole packet (fixed header included), or null when the peer closed the connection. */
  public byte[] readPacket() throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(first);
    int length = 0;
    int multiplier = 1;
    int b;
    do {
      b = in.read();
      if (b < 0) {
        throw new EOFException("closed inside a fixed header");
      }
      packet.write(b);
      length += (b & 0x7f) * multiplier;
      multiplier *= 128;
    } while ((b & 0x80) != 0);
    byte[] body = new byte[length];
    in.readFully(body);
    packet.write(body, 0, length);
    return packet.toByteArray();
  }

  /** True when the peer closes the connection (EOF or reset) before {@code timeoutMillis}. */
  public boolean closedWithin(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    try {
      while (true) {
        if (readPacket() == null) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  public InputStream input() {
    return in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** CONNECT bytes for protocol level 3, 4 or 5. */
  public static final class Connect {
    private final int level;
    private String clientId = "raw";
    private int flags = 0x02; // clean session
    private int keepAlive = 60;
    private String willTopic;
    private byte[] willPayload;
    private int padding;

    public Connect(int level) {
      this.level = level;
    }

    public Connect clientId(String id) {
      clientId = id;
      return this;
    }

    public Connect flags(int f) {
      flags = f;
      return this;
    }

    public Connect keepAlive(int seconds) {
      keepAlive = seconds;
      return this;
    }

    /** A QoS 0 will message. */
    public Connect will(String topic, String payload) {
      willTopic = topic;
      willPayload = payload.getBytes(StandardCharsets.UTF_8);
      flags |= 0x04;
      return this;
    }

    /** Adds a user property of {@code bytes} length (MQTT 5) to make the packet large. */
    public Connect padding(int bytes) {
      padding = bytes;
      return this;
    }

    public byte[] build() {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      str(body, level == 3 ? "MQIsdp" : "MQTT");
      body.write(level);
      body.write(flags);
      body.write(keepAlive >> 8);
      body.write(keepAlive & 0xff);
      if (level == 5) {
        ByteArrayOutputStream props = new ByteArrayOutputStream();
        if (padding > 0) {
          props.write(0x26);
          str(props, "pad");
          str(props, "x".repeat(padding));
        }
        vbi(body, props.size());
        body.writeBytes(props.toByteArray());
      }
      str(body, clientId);
      if (willTopic != null) {
        if (level == 5) {
          body.write(0);
        }
        str(body, willTopic);
        body.write(willPayload.length >> 8);
        body.write(willPayload.length & 0xff);
        body.writeBytes(willPayload);
      }
      return packet(0x10, body.toByteArray());
    }
  }

  public static byte[] packet(int firstByte, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(firstByte);
    vbi(out, body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** A QoS 0 PUBLISH for protocol level {@code level}. */
  public static byte[] publish(int level, String topic, byte[] payload) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    str(body, topic);
    if (level == 5) {
      body.write(0); // no properties
    }
    body.writeBytes(payload);
    return packet(0x30, body.toByteArray());
  }

  private static void str(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >> 8);
    out.write(b.length & 0xff);
    out.writeBytes(b);
  }

  private static void vbi(ByteArrayOutputStream out, int value) {
    do {
      int digit = value % 128;
      value /= 128;
      out.write(value > 0 ? digit | 0x80 : digit);
    } while (value > 0);
  }
}
