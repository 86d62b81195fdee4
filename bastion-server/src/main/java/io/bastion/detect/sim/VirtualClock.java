package io.bastion.detect.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Simulated time: moves only when the simulator advances it, so a simulated day takes seconds. */
public final class VirtualClock extends Clock {

  private volatile long millis;

  public VirtualClock(long startMillis) {
    this.millis = startMillis;
  }

  public void set(long millis) {
    this.millis = millis;
  }

  public void advance(long byMillis) {
    millis += byMillis;
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
