package io.bastion.detect.model;

import com.amazon.randomcutforest.parkservices.state.ThresholdedRandomCutForestState;
import java.io.Serializable;

/**
 * Everything a cohort model needs to judge at once after a restart: the forest (the library's own
 * state object), its score statistics and the clients' baselines.
 *
 * @param format bumped whenever the layout or the feature set changes; other formats are ignored
 */
record CohortCheckpoint(
    int format,
    String cohort,
    int dimensions,
    int trees,
    int sampleSize,
    long windowsSeen,
    double scoreMean,
    double scoreVariance,
    long scoreCount,
    double[] cohortMean,
    double[] cohortPeak,
    ThresholdedRandomCutForestState forest,
    String[] clientIds,
    float[][] means,
    float[][] variances,
    float[][] peaks,
    int[] baselineWindows)
    implements Serializable {

  static final int FORMAT = 1;
}
