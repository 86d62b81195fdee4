package io.bastion.detect;

/**
 * One source address's features over one closed window.
 *
 * @param values indexed by {@link IpFeature#ordinal()}
 */
public record IpWindow(String remoteIp, long windowEndMillis, long windowMillis, double[] values) {

  public double get(IpFeature f) {
    return values[f.ordinal()];
  }
}
