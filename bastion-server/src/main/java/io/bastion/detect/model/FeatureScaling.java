package io.bastion.detect.model;

import io.bastion.detect.ClientFeature;

/**
 * Turns a window's raw values into the log-scaled vector the model sees. Counts and sizes span
 * orders of magnitude, so log1p makes "10× more" the same step for every feature; shares (0..1)
 * are stretched by ten first so that a share going from 0 to 1 weighs like a tenfold count.
 */
final class FeatureScaling {

  static final int DIMENSIONS = ClientFeature.COUNT;
  private static final double SHARE_STRETCH = 10.0;

  private FeatureScaling() {}

  static boolean isShare(int feature) {
    return feature == ClientFeature.RETAINED_RATIO.ordinal()
        || feature == ClientFeature.QOS2_RATIO.ordinal()
        || feature == ClientFeature.NEW_TOPIC_SHARE.ordinal();
  }

  static double[] scale(double[] raw) {
    double[] out = new double[DIMENSIONS];
    for (int i = 0; i < DIMENSIONS; i++) {
      out[i] = scale(i, i < raw.length ? raw[i] : 0);
    }
    return out;
  }

  static double scale(int feature, double raw) {
    double v = Double.isFinite(raw) ? Math.max(0, raw) : 0;
    return Math.log1p(isShare(feature) ? v * SHARE_STRETCH : v);
  }

  /** The raw value a scaled value stands for. */
  static double unscale(int feature, double scaled) {
    double v = Math.expm1(scaled);
    return isShare(feature) ? v / SHARE_STRETCH : v;
  }
}
