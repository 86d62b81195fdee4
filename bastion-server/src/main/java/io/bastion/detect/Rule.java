package io.bastion.detect;

import io.bastion.config.DetectorConfig;

/** A rule detector: looks at the counters every tick and reports what crosses its thresholds. */
abstract class Rule {

  final DetectorConfig config;

  Rule(DetectorConfig config) {
    this.config = config;
  }

  String name() {
    return config.name();
  }

  double limit(String key) {
    return config.limit(key);
  }

  /** Runs on the detection thread once per tick. */
  abstract void check(RuleContext ctx);
}
