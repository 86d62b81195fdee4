package io.bastion.detect.sim;

import static io.bastion.detect.ClientFeature.*;

import io.bastion.detect.ClientFeature;
import java.util.SplittableRandom;

/**
 * One simulated client and how it normally behaves, window by window. Values follow what the
 * feature counters measure on the wire: packets, bytes, payload sizes, topics, keepalive, idle time.
 */
final class SimDevice {

  private static final int TOPIC_BYTES = 32;

  final String clientId;
  final String ip;
  final DeviceClass kind;
  final int keepaliveSeconds;
  private final double periodMillis; // telemetry period, gateway sub-device period
  private final double rate; // events per second for event-driven kinds
  private final double payload;
  private final int topics;
  private final boolean retains;
  private long nextPublishMillis;
  private long lastPacketMillis;
  private boolean everPublished;
  // connection state
  boolean connected;
  long offlineUntilMillis;
  boolean reconnectPending;
  long reconnectAtMillis = Long.MAX_VALUE;
  // firmware rollout: bigger payloads and one more topic
  double payloadFactor = 1;
  boolean diagnosticsTopic;
  private boolean diagnosticsPublished;

  SimDevice(String clientId, String ip, DeviceClass kind, SplittableRandom rng, long now) {
    this.clientId = clientId;
    this.ip = ip;
    this.kind = kind;
    this.keepaliveSeconds = new int[] {30, 60, 60, 120}[rng.nextInt(4)];
    this.retains = rng.nextDouble() < 0.3;
    switch (kind) {
      case TELEMETRY -> {
        periodMillis = new double[] {5_000, 10_000, 15_000, 30_000, 60_000}[rng.nextInt(5)];
        rate = 0;
        payload = 80 + rng.nextInt(400);
        topics = 1 + rng.nextInt(3);
      }
      case SENSOR -> {
        periodMillis = 0;
        rate = 0.02 + rng.nextDouble() * 0.15;
        payload = 40 + rng.nextInt(600);
        topics = 1 + rng.nextInt(4);
      }
      case ACTUATOR -> {
        periodMillis = 60_000;
        rate = 0.01 + rng.nextDouble() * 0.05;
        payload = 30 + rng.nextInt(120);
        topics = 2;
      }
      case GATEWAY -> {
        periodMillis = 20_000 + rng.nextInt(40_000);
        rate = 0;
        payload = 100 + rng.nextInt(300);
        topics = 10 + rng.nextInt(50);
      }
      default -> {
        periodMillis = 0;
        rate = 0.2;
        payload = 60 + rng.nextInt(100);
        topics = 20;
      }
    }
    this.nextPublishMillis = now + (long) (rng.nextDouble() * Math.max(periodMillis, 1000));
    this.lastPacketMillis = now;
  }

  /**
   * This device's normal window.
   *
   * @param rhythm the daily rhythm, around 1 (event rates follow it, periodic telemetry does not)
   * @param fleetMessages messages the fleet published in the previous window (what `#` delivers)
   */
  double[] window(long start, long end, double rhythm, double fleetMessages, int backends,
      boolean connecting, SplittableRandom rng) {
    double[] v = new double[ClientFeature.COUNT];
    double seconds = (end - start) / 1000.0;
    int messages;
    int distinct;
    int delivered = 0;
    switch (kind) {
      case TELEMETRY -> {
        messages = 0;
        if (nextPublishMillis < start) {
          nextPublishMillis = start + (long) (rng.nextDouble() * periodMillis);
        }
        while (nextPublishMillis < end) {
          messages++;
          nextPublishMillis += (long) (periodMillis * (1 + 0.05 * gaussian(rng)));
        }
        distinct = Math.min(messages, topics);
      }
      case SENSOR -> {
        messages = poisson(rate * rhythm * seconds, rng);
        if (rng.nextDouble() < 0.02) {
          messages += 3 + rng.nextInt(15); // an event burst
        }
        distinct = Math.min(messages, 1 + rng.nextInt(topics));
      }
      case ACTUATOR -> {
        delivered = poisson(rate * rhythm * seconds, rng);
        int heartbeat = poisson(seconds * 1000 / periodMillis, rng);
        messages = delivered + heartbeat;
        distinct = Math.min(messages, topics);
      }
      case GATEWAY -> {
        messages = poisson(topics * seconds * 1000 / periodMillis, rng);
        distinct = Math.min(messages, topics);
      }
      default -> {
        messages = poisson(rate * rhythm * seconds * 3, rng);
        distinct = Math.min(messages, topics);
        delivered = (int) Math.round(fleetMessages * (0.95 + 0.1 * rng.nextDouble()));
      }
    }
    double size = payload * payloadFactor;
    double sum = 0;
    double max = 0;
    for (int i = 0; i < Math.min(messages, 50); i++) {
      double s = size * (0.9 + 0.2 * rng.nextDouble());
      sum += s;
      max = Math.max(max, s);
    }
    double mean = messages == 0 ? 0 : sum / Math.min(messages, 50);
    int newTopics = 0;
    if (diagnosticsTopic && messages > 0 && rng.nextDouble() < seconds / 60.0) {
      messages++;
      distinct++;
      if (!diagnosticsPublished) {
        diagnosticsPublished = true;
        newTopics++;
      }
    }
    if (messages > 0 && !everPublished) {
      everPublished = true;
      newTopics = distinct;
    } else if (kind == DeviceClass.GATEWAY && messages > 0 && rng.nextDouble() < 0.002) {
      newTopics++; // a new sub-device behind the gateway
      distinct++;
    }
    int pings = 0;
    if (messages == 0 && (end - lastPacketMillis) > keepaliveSeconds * 1000L * 0.9) {
      pings = 1;
    }
    if (messages > 0 || pings > 0 || connecting) {
      lastPacketMillis = end - (long) (rng.nextDouble() * (end - start));
    }
    set(v, PUBLISHES_IN, messages);
    set(v, MESSAGES_OUT, delivered);
    set(v, PINGS, pings);
    set(v, BYTES_IN, messages * (mean + TOPIC_BYTES + 4) + pings * 2);
    set(v, BYTES_OUT, messages * 4 + pings * 2 + delivered * (payload + TOPIC_BYTES + 4));
    set(v, PAYLOAD_MEAN, mean);
    set(v, PAYLOAD_MAX, max);
    set(v, RETAINED_RATIO, retains && messages > 0 ? 1 : 0);
    set(v, DISTINCT_TOPICS, distinct);
    set(v, NEW_TOPIC_SHARE, distinct == 0 ? 0 : Math.min(1, (double) newTopics / distinct));
    set(v, TOPIC_DEPTH_MAX, messages == 0 ? 0 : (kind == DeviceClass.GATEWAY ? 5 : 4));
    set(v, KEEPALIVE, keepaliveSeconds);
    set(v, IDLE_RATIO, (end - lastPacketMillis) / (keepaliveSeconds * 1000.0));
    set(v, INFLIGHT, kind == DeviceClass.BACKEND ? rng.nextInt(4) : (messages > 5 ? rng.nextInt(2) : 0));
    if (connecting) {
      set(v, CONNECTS, 1);
      set(v, CONNECT_DELAY, 3 + rng.nextInt(60));
      set(v, OTHER_PACKETS, 1);
      if (kind == DeviceClass.ACTUATOR || kind == DeviceClass.BACKEND) {
        set(v, SUBSCRIBES, 1);
        set(v, WILDCARD_FILTERS, kind == DeviceClass.BACKEND ? 1 : 0);
      }
      set(v, WILL_SIZE, 40 + (clientId.hashCode() & 31));
    }
    return v;
  }

  /** Typical publishes per 10 s, for attacks that scale with their victim's normal. */
  double usualMessagesPer10s() {
    return switch (kind) {
      case TELEMETRY -> 10_000 / periodMillis;
      case SENSOR -> rate * 10;
      case ACTUATOR -> rate * 10 + 10_000 / periodMillis;
      case GATEWAY -> topics * 10_000 / periodMillis;
      default -> rate * 30;
    };
  }

  double payload() {
    return payload;
  }

  int topics() {
    return topics;
  }

  static void set(double[] v, ClientFeature f, double value) {
    v[f.ordinal()] = value;
  }

  static void add(double[] v, ClientFeature f, double value) {
    v[f.ordinal()] += value;
  }

  static int poisson(double mean, SplittableRandom rng) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rng)));
    }
    double l = Math.exp(-mean);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rng.nextDouble();
    } while (p > l);
    return k - 1;
  }

  static double gaussian(SplittableRandom rng) {
    double u = Math.max(1e-12, rng.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
