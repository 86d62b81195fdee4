package io.bastion.config;

/**
 * One thing wrong with a configuration file.
 *
 * @param key dotted path of the offending key, e.g. {@code pools[0].brokers[1].port}
 * @param line 1-based line in the file, or 0 when unknown
 */
public record ConfigError(String key, int line, String message) {

  @Override
  public String toString() {
    return (line > 0 ? "line " + line + ": " : "") + key + ": " + message;
  }
}
