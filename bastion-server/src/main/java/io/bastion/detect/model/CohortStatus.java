package io.bastion.detect.model;

import java.time.Instant;

/**
 * One cohort model as the admin API shows it.
 *
 * @param windowsSeen cohort windows the model has seen (restored ones included)
 * @param warmUpWindows windows it needs before it judges
 * @param warmedUp whether it judges now
 * @param clientsTracked clients with a baseline
 * @param memoryBytes estimated heap held by the forest and the baselines
 * @param verdicts verdicts since start
 * @param fleetShifts fleet-wide shifts detected and excused since start
 * @param excusedWindows client windows excused as part of a fleet-wide shift
 * @param scoringCpuNanos CPU time spent judging windows since start
 * @param lastCheckpoint when state was last saved, null if never
 */
public record CohortStatus(
    String cohort,
    long windowsSeen,
    int warmUpWindows,
    boolean warmedUp,
    int clientsTracked,
    long memoryBytes,
    long verdicts,
    long fleetShifts,
    long excusedWindows,
    long scoringCpuNanos,
    Instant lastCheckpoint) {

  /** Share of warm-up done, 0 to 1. */
  public double warmUpProgress() {
    return warmUpWindows <= 0 ? 1 : Math.min(1.0, (double) windowsSeen / warmUpWindows);
  }
}
