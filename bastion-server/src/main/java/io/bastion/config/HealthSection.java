package io.bastion.config;

import java.time.Duration;
import java.util.List;

/** Reads {@code pools[*].health}. */
final class HealthSection {

  static final List<String> KEYS = List.of("enabled", "interval", "timeout", "rise", "fall");

  private HealthSection() {}

  static HealthConfig read(MappingReader r) {
    if (r == null) {
      return HealthConfig.DEFAULT;
    }
    HealthConfig d = HealthConfig.DEFAULT;
    int before = r.errorCount();
    Duration interval = r.duration("interval", d.interval(), true);
    Duration timeout = r.duration("timeout", d.timeout(), true);
    // a probe still running when the next one starts would pile up connections to a sick broker
    if (r.errorCount() == before && timeout.compareTo(interval) >= 0) {
      r.error(r.has("timeout") ? "timeout" : "interval", "timeout (" + Units.format(timeout)
          + ") must be shorter than interval (" + Units.format(interval) + ")");
    }
    return new HealthConfig(
        r.bool("enabled", d.enabled()),
        interval,
        timeout,
        r.integer("rise", d.rise(), 1, Integer.MAX_VALUE),
        r.integer("fall", d.fall(), 1, Integer.MAX_VALUE));
  }
}
