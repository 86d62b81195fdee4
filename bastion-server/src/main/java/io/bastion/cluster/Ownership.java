package io.bastion.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Which node holds a client id, stored as one short string ({@code node TAB token TAB since TAB
 * broker}) so a connected client costs the cluster a few hundred bytes.
 */
record Ownership(String node, long token, long since, String broker) {

  String encode() {
    return node + '\t' + token + '\t' + since + '\t' + broker;
  }

  static Ownership decode(String s) {
    if (s == null) {
      return null;
    }
    String[] p = s.split("\t", 4);
    return new Ownership(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]), p[3]);
  }

  /** The later connection wins; ties go to the higher node id, so every node agrees. */
  boolean newerThan(Ownership o) {
    return since != o.since ? since > o.since : (node + token).compareTo(o.node + o.token) > 0;
  }

  /** Claims a client id; returns the ownership that lost (the older connection), or null. */
  static final class Claim implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final String claim;

    Claim(Ownership claim) {
      this.claim = claim.encode();
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      String current = entry.getValue();
      if (claim.equals(current)) {
        return null; // claimed again (after a join or a merge): nothing lost
      }
      if (current == null) {
        entry.setValue(claim);
        return null;
      }
      Ownership held = decode(current);
      Ownership mine = decode(claim);
      if (mine.newerThan(held)) {
        entry.setValue(claim);
        return current;
      }
      return claim;
    }
  }

  /** Releases a client id if this very session still holds it. */
  static final class Release implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String node;
    private final long token;

    Release(String node, long token) {
      this.node = node;
      this.token = token;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      Ownership held = decode(entry.getValue());
      if (held != null && held.node.equals(node) && held.token == token) {
        entry.setValue(null);
        return true;
      }
      return false;
    }
  }
}
