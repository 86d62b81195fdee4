package io.bastion.bench.jmh;

import io.bastion.mqtt.MqttFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link MqttFrameDecoder} on an {@link EmbeddedChannel}: one read carrying {@code batch} PUBLISH
 * packets of {@code payload} bytes, as the relay sees a busy client. Reported per read; divide by
 * {@code batch} for the cost of one packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameDecoderBenchmark {

  @Param({"16", "256", "4096", "65536"})
  int payload;

  @Param({"1", "16"})
  int batch;

  private EmbeddedChannel channel;
  private ByteBuf input;

  @Setup(Level.Trial)
  public void setUp() {
    channel = new EmbeddedChannel(new MqttFrameDecoder(1 << 20));
    input = PooledByteBufAllocator.DEFAULT.directBuffer();
    byte[] topic = "devices/sensor-0042/telemetry".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < batch; i++) {
      int remaining = 2 + topic.length + payload;
      input.writeByte(0x30);
      int v = remaining;
      do {
        int b = v & 0x7F;
        v >>>= 7;
        input.writeByte(v > 0 ? b | 0x80 : b);
      } while (v > 0);
      input.writeShort(topic.length).writeBytes(topic).writeZero(payload);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    input.release();
    channel.finishAndReleaseAll();
  }

  @Benchmark
  public void decode(Blackhole bh) {
    channel.writeInbound(input.retainedDuplicate());
    ByteBuf packet;
    while ((packet = channel.readInbound()) != null) {
      bh.consume(packet.readableBytes());
      packet.release();
    }
  }
}
