package io.bastion.mqtt;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * MQTT topic filters: {@code +} matches one level, a final {@code #} the parent and any number of
 * levels, and wildcards at the first level do not match topics starting with {@code $}. Filters
 * are compiled once into UTF-8 levels; matching a PUBLISH topic reads the packet in place.
 */
public final class TopicFilter {

  private static final byte[] PLUS = {'+'};
  private static final byte[] HASH = {'#'};

  private final String text;
  private final byte[][] levels;

  private TopicFilter(String text) {
    this.text = text;
    String[] parts = text.split("/", -1);
    levels = new byte[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      levels[i] = parts[i].equals("+") ? PLUS : parts[i].equals("#") ? HASH
          : parts[i].getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * @throws IllegalArgumentException when the filter is malformed
   */
  public static TopicFilter of(String filter) {
    String problem = problem(filter);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new TopicFilter(filter);
  }

  /** Why a topic filter is malformed (MQTT 4.7), or null. */
  public static String problem(String filter) {
    if (filter.isEmpty()) {
      return "a topic filter must not be empty";
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String l = levels[i];
      if (l.contains("#") && (!l.equals("#") || i != levels.length - 1)) {
        return "'#' must be a whole level at the end of the filter: '" + filter + "'";
      }
      if (l.contains("+") && !l.equals("+")) {
        return "'+' must be a whole level: '" + filter + "'";
      }
    }
    return null;
  }

  public String text() {
    return text;
  }

  /** Whether the topic in {@code buf[start, start+length)} matches. Allocation-free. */
  public boolean matches(ByteBuf buf, int start, int length) {
    int end = start + length;
    int pos = start;
    if (length > 0 && buf.getByte(start) == '$' && (levels[0] == PLUS || levels[0] == HASH)) {
      return false;
    }
    for (byte[] level : levels) {
      if (level == HASH) {
        return true; // the rest, including the parent: "a/#" matches "a"
      }
      if (pos > end) {
        return false; // the topic has fewer levels
      }
      int slash = indexOfSlash(buf, pos, end);
      if (level != PLUS && !equal(buf, pos, slash - pos, level)) {
        return false;
      }
      pos = slash + 1;
    }
    return pos > end;
  }

  /** Whether the topic matches. */
  public boolean matches(String topic) {
    byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
    return matches(io.netty.buffer.Unpooled.wrappedBuffer(bytes), 0, bytes.length);
  }

  /** Whether every topic that {@code other} matches is also matched by this filter. */
  public boolean covers(String other) {
    String[] sub = other.split("/", -1);
    if (!sub[0].isEmpty() && sub[0].charAt(0) == '$' && (levels[0] == PLUS || levels[0] == HASH)) {
      return false;
    }
    for (int i = 0; i < levels.length; i++) {
      byte[] level = levels[i];
      if (level == HASH) {
        return true;
      }
      if (i >= sub.length) {
        return false;
      }
      String s = sub[i];
      if (s.equals("#")) {
        return false;
      }
      if (level != PLUS && (s.equals("+") || !s.equals(new String(level, StandardCharsets.UTF_8)))) {
        return false;
      }
    }
    return sub.length == levels.length;
  }

  /** Whether this filter starts with a wildcard and so reaches into every topic tree. */
  public boolean isRootWildcard() {
    return levels[0] == HASH || (levels[0] == PLUS && levels.length == 2 && levels[1] == HASH)
        || (levels[0] == PLUS && levels.length == 1);
  }

  private static int indexOfSlash(ByteBuf buf, int from, int end) {
    for (int i = from; i < end; i++) {
      if (buf.getByte(i) == '/') {
        return i;
      }
    }
    return end;
  }

  private static boolean equal(ByteBuf buf, int start, int length, byte[] level) {
    if (length != level.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (buf.getByte(start + i) != level[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
