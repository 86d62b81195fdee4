package io.bastion.bench.detect;

import java.util.List;

/**
 * The hook for more detector sets in the detection suite, e.g. the rule detectors ("rules only")
 * or rules and model together: each contender listed here is run on the same windows as the model
 * and the flapping baseline, and gets its own columns in the report.
 */
final class ExtraContenders {

  private ExtraContenders() {}

  static List<SuiteContender> all() {
    return List.of();
  }
}
