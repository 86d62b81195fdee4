package io.bastion.detect.sim;

/** Kinds of devices in the simulated fleet; each kind is its own cohort. */
public enum DeviceClass {
  TELEMETRY("telemetry", 0.55),
  SENSOR("sensors", 0.20),
  ACTUATOR("actuators", 0.15),
  GATEWAY("gateways", 0.09),
  BACKEND("backend", 0.01);

  private final String cohort;
  private final double share;

  DeviceClass(String cohort, double share) {
    this.cohort = cohort;
    this.share = share;
  }

  public String cohort() {
    return cohort;
  }

  /** Share of the fleet made of this kind. */
  public double share() {
    return share;
  }
}
