package io.bastion.bench.jmh;

import io.bastion.detect.ClientCounters;
import io.bastion.detect.WindowClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
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

/**
 * What detection costs the relay per packet: {@link ClientCounters} counting one client's PUBLISH
 * (QoS 1, MQTT 3.1.1 or 5, topic of about 30 bytes, cycling through {@code topics} distinct topics)
 * and one delivery to it, as the relay handlers call them on the event loop.
 *
 * <p>JMH reports wall time, which a loaded machine inflates; {@link #main} measures the thread's
 * CPU time per PUBLISH instead: {@code java -cp bastion-bench.jar
 * io.bastion.bench.jmh.FeatureCounterBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FeatureCounterBenchmark {

  @Param({"4", "5"})
  int protocolLevel;

  @Param({"1", "64"})
  int topics;

  private ClientCounters counters;
  private ByteBuf[] publishes;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    counters = new ClientCounters(new WindowClock(), protocolLevel);
    publishes = new ByteBuf[topics];
    for (int i = 0; i < topics; i++) {
      byte[] topic = ("devices/sensor-0042/telemetry/" + i).getBytes(StandardCharsets.UTF_8);
      ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer();
      int props = protocolLevel == 5 ? 1 : 0;
      int remaining = 2 + topic.length + 2 + props + 64;
      b.writeByte(0x32).writeByte(remaining).writeShort(topic.length).writeBytes(topic).writeShort(1);
      if (props > 0) {
        b.writeByte(0);
      }
      b.writeZero(64);
      publishes[i] = b;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (ByteBuf b : publishes) {
      b.release();
    }
  }

  /** One PUBLISH from the client. */
  @Benchmark
  public long publishIn() {
    ByteBuf p = publishes[next++ & (topics - 1)];
    counters.packetIn(p, 3, p.readableBytes());
    return counters.restriction();
  }

  /** One delivery to the client (broker → client), the other half of a relayed message. */
  @Benchmark
  public void deliveryOut() {
    counters.packetOut(0x32, 100);
  }

  /** CPU time (not wall time) per counted PUBLISH, for each protocol level, 64 topics. */
  public static void main(String[] args) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int level : new int[] {4, 5}) {
      FeatureCounterBenchmark b = new FeatureCounterBenchmark();
      b.protocolLevel = level;
      b.topics = 64;
      b.setUp();
      for (int round = 0; round < 6; round++) {
        int n = 20_000_000;
        long cpu = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          sink += b.publishIn();
        }
        cpu = mx.getCurrentThreadCpuTime() - cpu;
        if (round >= 2) { // the first rounds warm up the JIT
          System.out.printf("MQTT level %d: %.1f ns CPU per PUBLISH%n", level, cpu / (double) n);
        }
      }
      b.tearDown();
    }
    if (sink == 42) {
      System.out.println(); // keeps the loop's result alive
    }
  }
}
