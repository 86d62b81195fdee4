package io.bastion.config;

/**
 * Syntax checks for IPv4 and IPv6 address literals. Deliberately not {@code InetAddress}: that
 * falls back to a DNS lookup for anything that is not a literal, and accepts odd forms like {@code
 * 127.1}.
 */
final class IpLiterals {

  private IpLiterals() {}

  static boolean isIpLiteral(String s) {
    return isIpv4(s) || isIpv6(s);
  }

  /** Dotted quad, no leading zeros (which some parsers read as octal). */
  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      if ((p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /** RFC 4291 text forms: eight groups, {@code ::} once, optional trailing IPv4, optional zone. */
  static boolean isIpv6(String s) {
    int percent = s.indexOf('%');
    if (percent >= 0) {
      String zone = s.substring(percent + 1);
      if (zone.isEmpty() || !zone.matches("[A-Za-z0-9_.-]+")) {
        return false;
      }
      s = s.substring(0, percent);
    }
    int gap = s.indexOf("::");
    if (gap < 0) {
      return groups(s, true) == 8;
    }
    if (gap != s.lastIndexOf("::")) {
      return false;
    }
    String tail = s.substring(gap + 2);
    int head = groups(s.substring(0, gap), false);
    int rest = groups(tail, true);
    return head >= 0 && rest >= 0 && head + rest <= 7;
  }

  /** Number of 16-bit groups in a colon-separated run, or -1 if malformed. */
  private static int groups(String run, boolean ipv4LastAllowed) {
    if (run.isEmpty()) {
      return 0;
    }
    String[] parts = run.split(":", -1);
    int count = 0;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (ipv4LastAllowed && i == parts.length - 1 && p.indexOf('.') >= 0) {
        if (!isIpv4(p)) {
          return -1;
        }
        count += 2;
      } else if (p.length() >= 1 && p.length() <= 4 && p.matches("[0-9A-Fa-f]+")) {
        count++;
      } else {
        return -1;
      }
    }
    return count;
  }
}
