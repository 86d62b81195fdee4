package io.bastion.detect.model;

import io.bastion.config.ModelConfig;

/** Heap estimates of the model's parts, for the status and the suite's report. */
public final class ModelMemory {

  private ModelMemory() {}

  /** A tracked client's baseline and bookkeeping, with a 24-character client id. */
  public static long perClientBytes() {
    return ClientTrack.bytesEstimate(FeatureScaling.DIMENSIONS, 24);
  }

  /** One cohort's forest: stored points, tree nodes, fixed overhead. */
  public static long forestBytes(ModelConfig config) {
    long points = (long) config.trees() * config.sampleSize();
    return points * (4L * FeatureScaling.DIMENSIONS + 8) + points * 2 * 24 + 16_384;
  }
}
