package io.bastion.config;

/**
 * The admin HTTP server: JSON API, Prometheus metrics, health endpoints and the dashboard.
 *
 * @param token bearer token the API requires; null means no token, which is only allowed on a
 *     loopback address
 * @param drainRate sessions per second moved off a draining broker unless a request says otherwise
 */
public record AdminConfig(boolean enabled, String bind, int port, String token, double drainRate) {

  public static final int DEFAULT_PORT = 8088;
  public static final double DEFAULT_DRAIN_RATE = 50;
  public static final AdminConfig DEFAULT =
      new AdminConfig(true, "127.0.0.1", DEFAULT_PORT, null, DEFAULT_DRAIN_RATE);
  public static final AdminConfig DISABLED =
      new AdminConfig(false, "127.0.0.1", DEFAULT_PORT, null, DEFAULT_DRAIN_RATE);
}
