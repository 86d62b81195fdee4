package io.bastion.detect.sim;

/**
 * How hard an attacker pushes: the extra it adds is {@link #factor()} times its cohort's normal,
 * so {@link #LOW} doubles what a normal client does.
 */
public enum Intensity {
  BLATANT(20),
  MODERATE(5),
  LOW(1);

  private final double factor;

  Intensity(double factor) {
    this.factor = factor;
  }

  public double factor() {
    return factor;
  }
}
