package io.bastion.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in scalar values, so one file can serve
 * several environments (ports, hosts, secrets from the container's environment).
 */
final class EnvSubstitution {

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Function<String, String> env;

  EnvSubstitution(Function<String, String> env) {
    this.env = env;
  }

  /**
   * Returns {@code text} with every reference replaced. Like the shell, {@code :-} also applies
   * when the variable is set but empty. Substituted values are not scanned again.
   *
   * @throws IllegalArgumentException naming every variable that is unset and has no default
   */
  String apply(String text) {
    if (text.indexOf("${") < 0) {
      return text;
    }
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    List<String> unset = new ArrayList<>();
    while (m.find()) {
      String value = env.apply(m.group(1));
      String fallback = m.group(2);
      if (fallback != null && (value == null || value.isEmpty())) {
        value = fallback;
      } else if (value == null) {
        unset.add(m.group(1));
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (!unset.isEmpty()) {
      throw new IllegalArgumentException(
          "environment variable "
              + String.join(", ", unset)
              + (unset.size() == 1 ? " is" : " are")
              + " not set and has no default (write ${"
              + unset.get(0)
              + ":-default} to give one)");
    }
    return out.toString();
  }
}
