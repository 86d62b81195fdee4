package io.bastion.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations ({@code 10s}) and byte sizes ({@code 1MiB}) as written in the config file. */
final class Units {

  private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(-?)(\\d+)\\s*([A-Za-z]*)");

  private static final Map<String, Long> SIZE_UNITS = new LinkedHashMap<>();

  static {
    SIZE_UNITS.put("B", 1L);
    SIZE_UNITS.put("kB", 1_000L);
    SIZE_UNITS.put("KiB", 1L << 10);
    SIZE_UNITS.put("MB", 1_000_000L);
    SIZE_UNITS.put("MiB", 1L << 20);
    SIZE_UNITS.put("GB", 1_000_000_000L);
    SIZE_UNITS.put("GiB", 1L << 30);
  }

  private Units() {}

  /** Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or {@code 1d}. */
  static Duration parseDuration(String text) {
    Matcher m = match(text, "a duration such as 10s, 500ms, 2m, 1h or 1d");
    String unit = m.group(3);
    if (unit.isEmpty()) {
      // a bare number is ambiguous (seconds? milliseconds?), so the unit is mandatory
      throw new IllegalArgumentException(
          "'" + text.trim() + "' has no unit; write " + m.group(2) + "s (or ms, m, h, d)");
    }
    if (!m.group(1).isEmpty()) {
      throw new IllegalArgumentException("duration '" + text.trim() + "' must not be negative");
    }
    long amount = amount(m, text);
    try {
      return switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        case "d" -> Duration.ofDays(amount);
        default -> throw new IllegalArgumentException(
            "unknown duration unit '" + unit + "' in '" + text.trim() + "'; use ms, s, m, h or d");
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration '" + text.trim() + "' is too large");
    }
  }

  /** Parses a byte count: a plain integer or a number with B, kB, KiB, MB, MiB, GB or GiB. */
  static long parseSize(String text) {
    Matcher m = match(text, "a size such as 1048576, 512KiB or 1MiB");
    if (!m.group(1).isEmpty()) {
      throw new IllegalArgumentException("size '" + text.trim() + "' must not be negative");
    }
    String unit = m.group(3).isEmpty() ? "B" : m.group(3);
    Long factor = SIZE_UNITS.get(unit);
    if (factor == null) {
      throw new IllegalArgumentException(
          "unknown size unit '"
              + unit
              + "'; use B, kB (1000), KiB (1024), MB, MiB, GB or GiB");
    }
    try {
      return Math.multiplyExact(amount(m, text), factor);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("size '" + text.trim() + "' is too large");
    }
  }

  /** The shortest exact spelling in the config syntax, for messages: 5s, 1500ms. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms != 0) {
      return ms / 86_400_000 + "d";
    } else if (ms % 3_600_000 == 0 && ms != 0) {
      return ms / 3_600_000 + "h";
    } else if (ms % 60_000 == 0 && ms != 0) {
      return ms / 60_000 + "m";
    } else if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  private static Matcher match(String text, String expected) {
    Matcher m = NUMBER_AND_UNIT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected " + expected + ", got '" + (text == null ? "" : text.trim()) + "'");
    }
    return m;
  }

  private static long amount(Matcher m, String text) {
    try {
      return Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text.trim() + "' is too large");
    }
  }
}
