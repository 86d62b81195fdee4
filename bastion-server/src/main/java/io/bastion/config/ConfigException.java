package io.bastion.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that cannot be used, with every error found in it. */
public final class ConfigException extends Exception {

  private final transient List<ConfigError> errors;

  public ConfigException(String source, List<ConfigError> errors) {
    super(
        source
            + ": "
            + errors.size()
            + " error(s)\n"
            + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
