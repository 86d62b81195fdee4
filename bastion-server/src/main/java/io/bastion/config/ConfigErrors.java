package io.bastion.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem found while reading a file, so the user sees them all in one run. */
final class ConfigErrors {

  private final List<ConfigError> errors = new ArrayList<>();

  void add(String key, int line, String message) {
    errors.add(new ConfigError(key, line, message));
  }

  int count() {
    return errors.size();
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  /** In file order, which is how a user fixes them; errors without a line come last. */
  List<ConfigError> sorted() {
    List<ConfigError> copy = new ArrayList<>(errors);
    copy.sort(Comparator.comparingInt(e -> e.line() > 0 ? e.line() : Integer.MAX_VALUE));
    return copy;
  }
}
