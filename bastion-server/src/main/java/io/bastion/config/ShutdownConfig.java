package io.bastion.config;

import java.time.Duration;

/**
 * What happens on SIGTERM: listeners stop accepting at once, then existing sessions are closed
 * spread evenly over {@code drainDeadline} so the fleet reconnects elsewhere gradually.
 */
public record ShutdownConfig(Duration drainDeadline) {

  public static final ShutdownConfig DEFAULT = new ShutdownConfig(Duration.ofSeconds(30));
}
