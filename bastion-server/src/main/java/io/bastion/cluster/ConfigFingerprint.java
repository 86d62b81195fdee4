package io.bastion.cluster;

import io.bastion.config.BastionConfig;
import io.bastion.config.BrokerConfig;
import io.bastion.config.PoolConfig;
import io.bastion.config.RuleConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * A short hash of what decides where a client id goes: pools (strategy, bounded load, brokers
 * with their weights) and rules. Two nodes with the same fingerprint and the same broker health
 * route every client id to the same broker.
 */
public final class ConfigFingerprint {

  private ConfigFingerprint() {}

  public static String of(BastionConfig config) {
    StringBuilder s = new StringBuilder();
    for (PoolConfig p : config.pools()) {
      s.append("pool ").append(p.name()).append(' ').append(p.strategy()).append(' ')
          .append(p.loadFactor()).append(' ').append(p.boundedLoadMinAverage()).append('\n');
      p.brokers().stream().sorted(Comparator.comparing(BrokerConfig::id)).forEach(b ->
          s.append("  broker ").append(b.id()).append(' ').append(b.host()).append(':')
              .append(b.port()).append(" w").append(b.weight()).append('\n'));
    }
    for (RuleConfig r : config.rules()) {
      s.append("rule ").append(r).append('\n');
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
