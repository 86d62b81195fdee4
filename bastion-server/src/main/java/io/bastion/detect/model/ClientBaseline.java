package io.bastion.detect.model;

/**
 * One client's usual behaviour: mean and variance of each log-scaled feature, learned as an
 * exponentially weighted average (exact Welford averages for the first windows, then a fixed
 * weight so the baseline follows slow drift such as the daily rhythm). Floats keep it near
 * 250 bytes per client.
 */
final class ClientBaseline {

  private final float[] mean;
  private final float[] variance;
  private final float[] peak;
  private int windows;

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
  void learn(double[] x, double maxWeight, double peakDecay, boolean raisePeaks) {
    windows = windows == Integer.MAX_VALUE ? windows : windows + 1;
    double w = Math.max(1.0 / windows, maxWeight);
    for (int i = 0; i < mean.length; i++) {
      if (raisePeaks) {
        peak[i] = (float) Math.max(x[i], peak[i] - peakDecay);
      }
      double d = x[i] - mean[i];
      double m = mean[i] + w * d;
      variance[i] = (float) ((1 - w) * (variance[i] + w * d * d));
      mean[i] = (float) m;
    }
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
    // three float arrays (header + data) and the object itself
    return 3L * (16 + 4L * dimensions) + 24;
  }
}
