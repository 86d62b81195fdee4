package io.bastion.detect;

import io.bastion.config.CohortConfig;
import io.bastion.routing.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Puts each client in the first configured cohort whose conditions it meets, else "default". */
final class Cohorts {

  static final String DEFAULT = "default";

  private record Compiled(CohortConfig config, Pattern clientId) {}

  private final List<Compiled> cohorts = new ArrayList<>();

  Cohorts(List<CohortConfig> configs) {
    for (CohortConfig c : configs) {
      cohorts.add(new Compiled(c, c.clientId() == null ? null : Pattern.compile(Glob.toRegex(c.clientId()))));
    }
  }

  /**
   * @param organizationalUnits of the client certificate, empty when there is none
   */
  String of(String listener, String clientId, String username, List<String> organizationalUnits) {
    for (Compiled c : cohorts) {
      CohortConfig k = c.config();
      if ((k.listener() == null || k.listener().equals(listener))
          && (c.clientId() == null || (clientId != null && c.clientId().matcher(clientId).matches()))
          && (k.usernamePrefix() == null || (username != null && username.startsWith(k.usernamePrefix())))
          && (k.certificateOu() == null || organizationalUnits.contains(k.certificateOu()))) {
        return k.name();
      }
    }
    return DEFAULT;
  }
}
