package io.bastion.detect.model;

import io.bastion.detect.ClientFeature;
import java.util.Locale;

/** Puts a deviating feature into words a person can read ("messages published 40× its cohort's usual"). */
final class Explanation {

  private Explanation() {}

  static String of(int feature, double scaledValue, double scaledUsual, String whose) {
    ClientFeature f = ClientFeature.values()[feature];
    double value = FeatureScaling.unscale(feature, scaledValue);
    double usual = FeatureScaling.unscale(feature, Math.max(0, scaledUsual));
    if (FeatureScaling.isShare(feature)) {
      return String.format(Locale.ROOT, "%s %.2f, %s usual %.2f", f.label(), value, whose, usual);
    }
    if (usual < 0.5) {
      return String.format(
          Locale.ROOT, "%s %s where %s usual is %s", f.label(), amount(value), whose, amount(usual));
    }
    if (value < 0.5) {
      return String.format(
          Locale.ROOT, "%s %s where %s usual is %s", f.label(), amount(value), whose, amount(usual));
    }
    double times = value / usual;
    if (times >= 1) {
      return String.format(Locale.ROOT, "%s %s× %s usual (%s vs %s)",
          f.label(), amount(times), whose, amount(value), amount(usual));
    }
    return String.format(Locale.ROOT, "%s 1/%s of %s usual (%s vs %s)",
        f.label(), amount(1 / Math.max(times, 1e-9)), whose, amount(value), amount(usual));
  }

  private static String amount(double v) {
    if (v >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (v >= 10) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
