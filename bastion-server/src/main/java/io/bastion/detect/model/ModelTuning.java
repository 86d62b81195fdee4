package io.bastion.detect.model;

/**
 * The model's inner constants, separate from what an operator configures ({@link
 * io.bastion.config.ModelConfig}); the defaults are the values tuned on the attack suite's tuning
 * seeds and documented in docs/detection-model.md.
 *
 * @param selfZ standard deviations from its own baseline that flag a client
 * @param selfMinChange smallest log-scale change (≈ ×1.5) that may flag a client against itself
 * @param peakMargin how far (log scale) above its recent peak a feature must rise to flag a client
 * @param peakDecay how fast (log scale per window) a client's recent peak is forgotten
 * @param spreadFloor smallest spread assumed for a baseline feature (log scale)
 * @param baselineWindows windows a client's baseline needs before it judges the client
 * @param baselineWeight weight of one window in a settled baseline
 * @param screenZ rise from its own baseline (in standard deviations) above which an established
 *     client's window is scored by the forest; below it the client behaves as it always did
 * @param scoreSigmas standard deviations above the cohort's usual forest score that flag a window
 * @param newClientMargin factor on the forest threshold for clients whose own baseline is not yet
 *     established (new devices)
 * @param scoreFloor forest score below which no window is flagged
 * @param maxUpdatesPerWindow clean windows per cohort window that train the forest (the rest are
 *     only scored); bounds the CPU a large cohort costs
 * @param shiftMinClients fewest established clients deviating the same way at once to call it a
 *     fleet-wide shift, counted as clients that started deviating within the last minute or so
 * @param shiftShare share of a cohort's active clients that also makes a fleet-wide shift
 * @param shiftExcuseWindows windows a detected shift keeps excusing that feature
 * @param repeatVerdictWindows windows before a client with a verdict may get another one
 * @param forgetWindows windows after which an unseen client is forgotten
 * @param envelopeMargin how far (log scale, ≈ ×1.8) a feature must go beyond the largest value any
 *     settled member of the cohort showed lately, or beyond the client's own, to flag a window
 *     without the forest: a device doing what none of its kind does
 */
public record ModelTuning(
    double selfZ,
    double selfMinChange,
    double peakMargin,
    double peakDecay,
    double spreadFloor,
    int baselineWindows,
    double baselineWeight,
    double screenZ,
    double scoreSigmas,
    double newClientMargin,
    double scoreFloor,
    int maxUpdatesPerWindow,
    int shiftMinClients,
    double shiftShare,
    int shiftExcuseWindows,
    int repeatVerdictWindows,
    int forgetWindows,
    double envelopeMargin) {

  public static ModelTuning defaults() {
    return new ModelTuning(6.0, 0.45, 0.25, 0.001, 0.2, 18, 0.04, 3.0, 3.0, 1.0, 1.0, 20, 5, 0.03, 90, 30, 2160,
        0.6);
  }
}
