package io.bastion.detect;

import static io.bastion.detect.RuleContext.count;

import io.bastion.config.DetectorConfig;
import java.util.ArrayList;
import java.util.List;

/** A client publishing more messages or bytes per second than allowed, measured each second. */
final class PublishFloodRule extends Rule {

  PublishFloodRule(DetectorConfig config) {
    super(config);
  }

  @Override
  void check(RuleContext ctx) {
    double maxMessages = limit("max-messages-per-second");
    double maxBytes = limit("max-bytes-per-second");
    for (TrackedClient c : ctx.clients) {
      if (c.publishRate <= maxMessages && c.byteRate <= maxBytes) {
        continue;
      }
      List<String> because = new ArrayList<>(2);
      if (c.publishRate > maxMessages) {
        because.add(count(c.publishRate) + " messages published per second (limit " + count(maxMessages) + ")");
      }
      if (c.byteRate > maxBytes) {
        because.add(count(c.byteRate) + " bytes sent per second (limit " + count(maxBytes) + ")");
      }
      ctx.client(this, c, Math.max(c.publishRate / maxMessages, c.byteRate / maxBytes), because);
    }
  }
}
