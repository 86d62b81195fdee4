package io.bastion.detect;

import io.bastion.config.DetectionConfig;
import io.bastion.config.DetectorCatalog;
import io.bastion.config.DetectorConfig;

/**
 * The per-window limits of connect-flood and client-id-churn, read by event loops: an address
 * whose count in the open window alone passes one wakes the detection thread, so a flood is met
 * when it crosses the limit rather than up to a tick later. Infinite for a disabled rule.
 */
record CountBars(double connects, double clientIds) {

  static CountBars of(DetectionConfig config) {
    return new CountBars(bar(config.rule(DetectorCatalog.CONNECT_FLOOD), "max-connects"),
        bar(config.rule(DetectorCatalog.CLIENT_ID_CHURN), "max-client-ids"));
  }

  private static double bar(DetectorConfig rule, String key) {
    return rule.enabled() ? rule.limit(key) : Double.POSITIVE_INFINITY;
  }
}
