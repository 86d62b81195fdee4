package io.bastion.detect;

/**
 * One client's features over one closed window, handed from the event loops to detection threads.
 *
 * @param cohort the cohort the client belongs to (from the detection config), never null
 * @param values raw (not log-scaled) values indexed by {@link ClientFeature#ordinal()}
 */
public record ClientWindow(
    String clientId,
    String remoteIp,
    String listener,
    String username,
    String cohort,
    long windowEndMillis,
    long windowMillis,
    double[] values) {

  public double get(ClientFeature f) {
    return values[f.ordinal()];
  }
}
