package io.bastion.config;

import java.time.Duration;

/**
 * Active health probe of a pool's brokers: TCP connect, then MQTT CONNECT and CONNACK.
 *
 * @param rise consecutive successful probes that bring a down broker up
 * @param fall consecutive failed probes that take an up broker down
 */
public record HealthConfig(boolean enabled, Duration interval, Duration timeout, int rise, int fall) {

  public static final HealthConfig DEFAULT =
      new HealthConfig(true, Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 3);
}
