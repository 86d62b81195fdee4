package io.bastion.bench.jmh;

import io.bastion.mqtt.ConnectParser;
import io.bastion.mqtt.ConnectPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** {@link ConnectParser#parse} of typical CONNECT packets, once per new session. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConnectParserBenchmark {

  /**
   * {@code v311}: client id only. {@code v311-full}: username, password and a will. {@code v5}: MQTT
   * 5 with session expiry, receive maximum and a user property.
   */
  @Param({"v311", "v311-full", "v5"})
  String kind;

  private ByteBuf packet;

  @Setup
  public void setUp() {
    String hex = switch (kind) {
      // CONNECT, "MQTT" level 4, clean session, keepalive 60, client id "sensor-0042-abcdef"
      case "v311" -> "10 1e 0004 4d515454 04 02 003c 0012 73656e736f722d303034322d616263646566";
      // + will (QoS 1, topic "status/sensor-0042", payload "offline"), username "device", password "secret"
      case "v311-full" -> "10 4b 0004 4d515454 04 ce 003c 0012 73656e736f722d303034322d616263646566"
          + " 0012 7374617475732f73656e736f722d30303432 0007 6f66666c696e65"
          + " 0006 646576696365 0006 736563726574";
      // MQTT 5: properties session expiry 3600, receive maximum 100, user property ("site", "b7")
      case "v5" -> "10 32 0004 4d515454 05 02 003c 13 11 00000e10 21 0064 26 0004 73697465 0002 6237"
          + " 0012 73656e736f722d303034322d616263646566";
      default -> throw new IllegalArgumentException(kind);
    };
    packet = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
    ConnectParser.parse(packet); // refuse to measure a packet the parser rejects
  }

  @Benchmark
  public ConnectPacket parse() {
    return ConnectParser.parse(packet);
  }
}
