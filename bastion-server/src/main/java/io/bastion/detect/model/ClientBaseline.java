package io.bastion.detect.model;

/**
 * One client's usual behaviour: mean and variance of each log-scaled feature, learned as an
 * exponentially weighted average (exact Welford averages for the first windows, then a fixed
 * weight so the baseline follows slow drift such as the daily rhythm). Floats keep it near
 * 250 bytes per client.
 */
final class ClientBaseline {

  private static final int PUBLISHES = io.bastion.detect.ClientFeature.PUBLISHES_IN.ordinal();
  private static final int CONNECTS = io.bastion.detect.ClientFeature.CONNECTS.ordinal();
  private static final int WILL = io.bastion.detect.ClientFeature.WILL_SIZE.ordinal();
  private static final int NEW_TOPICS = io.bastion.detect.ClientFeature.NEW_TOPIC_SHARE.ordinal();
  /** Features measured over the window's messages: a window without a message has none. */
  private static final boolean[] PER_MESSAGE = new boolean[io.bastion.detect.ClientFeature.COUNT];

  static {
    for (io.bastion.detect.ClientFeature f : java.util.List.of(io.bastion.detect.ClientFeature.PAYLOAD_MEAN,
        io.bastion.detect.ClientFeature.PAYLOAD_MAX, io.bastion.detect.ClientFeature.RETAINED_RATIO,
        io.bastion.detect.ClientFeature.QOS2_RATIO, io.bastion.detect.ClientFeature.TOPIC_DEPTH_MAX,
        io.bastion.detect.ClientFeature.NEW_TOPIC_SHARE)) {
      PER_MESSAGE[f.ordinal()] = true;
    }
  }

  /**
   * Whether a window shows no value for a feature at all: sizes and shares of messages in a window
   * without a message, the Will size in a window without a CONNECT. Absent is not "small": a
   * device that publishes once a minute must not look tenfold larger each time it does.
   */
  static boolean absent(int feature, double[] x) {
    return PER_MESSAGE[feature] ? x[PUBLISHES] == 0 : feature == WILL && x[CONNECTS] == 0;
  }

  private final float[] mean;
  private final float[] variance;
  private final float[] peak;
  private int windows;
  /** Windows with a message and windows with a CONNECT: the averages of features they carry. */
  private int messageWindows;
  private int connectWindows;

  ClientBaseline(int dimensions) {
    mean = new float[dimensions];
    variance = new float[dimensions];
    peak = new float[dimensions];
  }

  ClientBaseline(float[] mean, float[] variance, float[] peak, int windows) {
    this.mean = mean;
    this.variance = variance;
    this.peak = peak;
    this.windows = windows;
    this.messageWindows = windows;
    this.connectWindows = windows;
  }

  float[] peaks() {
    return peak;
  }

  /**
   * The highest value this client showed lately: it decays by {@code PEAK_DECAY} per window, so a
   * rare but normal spike (an actuator receiving a burst of commands) is not flagged the next time.
   */
  double peak(int feature) {
    return peak[feature];
  }

  int windows() {
    return windows;
  }

  double mean(int feature) {
    return mean[feature];
  }

  float[] means() {
    return mean;
  }

  float[] variances() {
    return variance;
  }

  /**
   * Learns one window; {@code maxWeight} bounds how much one window moves the baseline. A flagged
   * window does not raise the peaks, or the next window of the same attack would look usual.
   */
  void learn(double[] x, double maxWeight, double peakDecay, boolean raisePeaks, boolean settled) {
    windows = bump(windows);
    if (x[PUBLISHES] > 0) {
      messageWindows = bump(messageWindows);
    }
    if (x[CONNECTS] > 0) {
      connectWindows = bump(connectWindows);
    }
    for (int i = 0; i < mean.length; i++) {
      if (absent(i, x) || (i == NEW_TOPICS && !settled)) {
        continue; // every topic of a new client is new to it: not what it usually does
      }
      if (raisePeaks) {
        peak[i] = (float) Math.max(x[i], Math.max(0, peak[i] - peakDecay));
      }
      int n = PER_MESSAGE[i] ? messageWindows : i == WILL ? connectWindows : windows;
      double w = Math.max(1.0 / Math.max(1, n), maxWeight);
      double d = x[i] - mean[i];
      double m = mean[i] + w * d;
      variance[i] = (float) ((1 - w) * (variance[i] + w * d * d));
      mean[i] = (float) m;
    }
  }

  private static int bump(int count) {
    return count == Integer.MAX_VALUE ? count : count + 1;
  }

  /**
   * How far a window sits from this client's usual, in standard deviations, with the spread
   * floored so that a client that never varied is not flagged for a tiny change.
   */
  double zScore(int feature, double x, double spreadFloor) {
    double sd = Math.sqrt(variance[feature] + spreadFloor * spreadFloor);
    return (x - mean[feature]) / sd;
  }

  static long bytesEstimate(int dimensions) {
    // three float arrays (header + data) and the object itself (three counts)
    return 3L * (16 + 4L * dimensions) + 32;
  }
}
