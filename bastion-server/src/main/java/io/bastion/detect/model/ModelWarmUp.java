package io.bastion.detect.model;

/** How far the anomaly model is from judging, as one figure for a gauge. */
public final class ModelWarmUp {

  private ModelWarmUp() {}

  /** The least warmed-up cohort's progress, 0 to 1; 0 before any cohort has seen a window. */
  public static double of(ModelStatus status) {
    double least = status.cohorts().isEmpty() ? 0 : 1;
    for (CohortStatus c : status.cohorts()) {
      double progress = c.warmedUp() ? 1 : (double) c.windowsSeen() / Math.max(1, c.warmUpWindows());
      least = Math.min(least, Math.min(1, progress));
    }
    return least;
  }
}
