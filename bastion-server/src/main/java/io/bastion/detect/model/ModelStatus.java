package io.bastion.detect.model;

import java.util.List;

/**
 * The anomaly model as a whole, for {@code GET /api/detection/models}.
 *
 * @param enabled whether the model runs at all
 * @param mode {@code observe} or {@code enforce}
 * @param cohorts one entry per cohort model, by name
 */
public record ModelStatus(boolean enabled, String mode, List<CohortStatus> cohorts) {

  public int clientsTracked() {
    return cohorts.stream().mapToInt(CohortStatus::clientsTracked).sum();
  }

  public long memoryBytes() {
    return cohorts.stream().mapToLong(CohortStatus::memoryBytes).sum();
  }
}
