package io.bastion.hivemq;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The extension's settings, read from {@code bastion.properties} in its folder.
 *
 * @param bastionUrls admin API base URLs, tried in turn
 * @param token bearer token of the admin API, or null
 * @param brokerId stable id of this broker in the pool, or null for the host name
 * @param advertisedHost host Bastion connects to, or null to derive it from the listener
 * @param capacity most connections this broker should take; 0 when not reported
 */
public record ExtensionSettings(List<URI> bastionUrls, String token, String pool, String brokerId,
    String advertisedHost, int capacity, Duration renewInterval) {

  public static final String FILE_NAME = "bastion.properties";

  public ExtensionSettings {
    bastionUrls = List.copyOf(bastionUrls);
    if (bastionUrls.isEmpty()) {
      throw new IllegalArgumentException("bastion-urls: at least one Bastion admin URL is needed");
    }
    if (renewInterval.isNegative() || renewInterval.isZero()) {
      throw new IllegalArgumentException("renew-interval must be positive");
    }
  }

  /** The lease asked for: three renewals, so one lost renewal does not end it. */
  public Duration lease() {
    return renewInterval.multipliedBy(3);
  }

  public static ExtensionSettings load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return parse(p);
  }

  public static ExtensionSettings parse(Properties p) {
    List<URI> urls = new ArrayList<>();
    for (String u : p.getProperty("bastion-urls", "").split(",")) {
      if (!u.isBlank()) {
        String trimmed = u.trim();
        urls.add(URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed));
      }
    }
    return new ExtensionSettings(urls, blankToNull(p.getProperty("token")),
        p.getProperty("pool", "brokers").trim(), blankToNull(p.getProperty("broker-id")),
        blankToNull(p.getProperty("advertised-host")),
        Integer.parseInt(p.getProperty("capacity", "0").trim()),
        duration(p.getProperty("renew-interval", "5s")));
  }

  /** {@code 500ms}, {@code 5s}, {@code 1m}, or a number of seconds. */
  static Duration duration(String text) {
    String t = text.trim();
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
    }
    if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
    }
    if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
