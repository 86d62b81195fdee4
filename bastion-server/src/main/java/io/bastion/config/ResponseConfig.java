package io.bastion.config;

import java.time.Duration;

/**
 * How enforcing detectors act ({@code detection.response}).
 *
 * @param blockTtl how long a first block (and a throttle or deny) lasts
 * @param maxBlockTtl the cap of the block time, which doubles on each repeat offence
 * @param offenceMemory how long an offence counts for doubling the next block
 * @param throttleRate packets per second a throttled client may still send
 */
public record ResponseConfig(Duration blockTtl, Duration maxBlockTtl, Duration offenceMemory, int throttleRate) {

  public static final ResponseConfig DEFAULT =
      new ResponseConfig(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofHours(24), 10);
}
