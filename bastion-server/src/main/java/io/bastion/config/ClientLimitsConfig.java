package io.bastion.config;

import java.util.List;

/**
 * Limits on each client session. 0 (or null) means unlimited.
 *
 * @param publishRate PUBLISH packets per second (token bucket)
 * @param publishBandwidth PUBLISH bytes per second (token bucket)
 * @param onExcess what a client over its publish rate gets
 * @param maxSubscriptions subscriptions one session may hold through Bastion
 * @param broadWildcards identities (username, certificate identity or group) that may subscribe
 *     to root wildcards such as {@code #} and {@code +/#}; null means everyone may
 * @param maxClientIdLength longest client id accepted, in characters
 * @param clientIdPattern regular expression every client id must match, or null
 */
public record ClientLimitsConfig(
    RateConfig publishRate,
    RateConfig publishBandwidth,
    OnExcess onExcess,
    int maxSubscriptions,
    List<String> broadWildcards,
    int maxClientIdLength,
    String clientIdPattern) {

  public static final ClientLimitsConfig UNLIMITED =
      new ClientLimitsConfig(RateConfig.OFF, RateConfig.OFF, OnExcess.PAUSE, 0, null, 0, null);

  public ClientLimitsConfig {
    broadWildcards = broadWildcards == null ? null : List.copyOf(broadWildcards);
  }

  /** What happens when a client publishes faster than allowed. */
  public enum OnExcess {
    /** stop reading from the client until its bucket refills (backpressure) */
    PAUSE,
    /** end the session (MQTT 5 gets DISCONNECT 0x96) */
    DISCONNECT
  }
}
