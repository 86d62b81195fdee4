package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.ArrayList;
import java.util.List;

/** A client probing the topic tree: many never-used topics, many filters, or many refusals. */
final class TopicEnumerationRule extends Rule {

  TopicEnumerationRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double maxNew = limit("max-new-topics");
    double maxFilters = limit("max-filters");
    double maxDenials = limit("max-acl-denials");
    for (TrackedClient c : ctx.clients) {
      long fresh = c.inWindow(ClientCounters.NEW_TOPICS);
      long filters = c.inWindow(ClientCounters.FILTERS);
      long denials = c.inWindow(ClientCounters.ACL_DENIALS);
      if (fresh <= maxNew && filters <= maxFilters && denials <= maxDenials) {
        continue;
      }
      List<String> because = new ArrayList<>(3);
      if (fresh > maxNew) {
        because.add(fresh + " publishes to topics it never used (limit " + count(maxNew) + ")");
      }
      if (filters > maxFilters) {
        because.add(filters + " subscription filters (limit " + count(maxFilters) + ")");
      }
      if (denials > maxDenials) {
        because.add(denials + " refused publishes or subscriptions (limit " + count(maxDenials) + ")");
      }
      ctx.client(this, c, Math.max(fresh / maxNew, Math.max(filters / maxFilters, denials / maxDenials)),
          because);
    }
  }
}
