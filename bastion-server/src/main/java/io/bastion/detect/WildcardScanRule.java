package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A client outside the allowed roles subscribes to everything ({@code #}, {@code +/#}), to
 * {@code $SYS}, or to many wildcard filters.
 */
final class WildcardScanRule extends Rule {

  WildcardScanRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double maxWildcards = limit("max-wildcard-filters");
    List<String> allowed = config.allowed();
    for (TrackedClient c : ctx.clients) {
      long broad = c.inWindow(ClientCounters.BROAD_FILTERS);
      long sys = c.inWindow(ClientCounters.SYS_FILTERS);
      long wildcards = c.inWindow(ClientCounters.WILDCARD_FILTERS);
      if (broad == 0 && sys == 0 && wildcards <= maxWildcards) {
        continue;
      }
      if (!allowed.isEmpty() && c.identity != null && c.identity.namedIn(allowed)) {
        continue;
      }
      List<String> because = new ArrayList<>(3);
      if (broad > 0) {
        because.add(broad + " subscriptions to the whole tree (#)");
      }
      if (sys > 0) {
        because.add(sys + " $SYS subscriptions");
      }
      if (wildcards > maxWildcards) {
        because.add(wildcards + " wildcard subscriptions (limit " + count(maxWildcards) + ")");
      }
      ctx.client(this, c, broad + sys + wildcards, because);
    }
  }
}
