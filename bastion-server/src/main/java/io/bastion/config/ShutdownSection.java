package io.bastion.config;

import java.util.List;

/** Reads {@code shutdown}. */
final class ShutdownSection {

  static final List<String> KEYS = List.of("drain-deadline");

  private ShutdownSection() {}

  static ShutdownConfig read(MappingReader r) {
    if (r == null) {
      return ShutdownConfig.DEFAULT;
    }
    return new ShutdownConfig(
        r.duration("drain-deadline", ShutdownConfig.DEFAULT.drainDeadline(), false));
  }
}
