package io.bastion.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML mapping of the config: typed values with defaults and ranges. Every problem is
 * recorded with its dotted key and line, and the getter returns the default (or null for a
 * required value) so that reading goes on and the user sees all errors at once.
 *
 * <p>Keys outside the section's key list are reported as soon as the mapping is opened.
 */
final class MappingReader {

  /** A scalar from a list, with where it came from (for errors found later, e.g. references). */
  record Item(String key, int line, String value) {}

  private final String path;
  private final int index;
  private final MappingNode node;
  private final List<String> keys;
  private final ConfigErrors errors;
  private final EnvSubstitution env;
  private final Map<String, NodeTuple> entries = new HashMap<>();

  private MappingReader(
      String path,
      int index,
      MappingNode node,
      List<String> keys,
      ConfigErrors errors,
      EnvSubstitution env) {
    this.path = path;
    this.index = index;
    this.node = node;
    this.keys = keys;
    this.errors = errors;
    this.env = env;
    indexEntries();
  }

  /** Opens the document's root mapping; reports and returns null when it is something else. */
  static MappingReader root(
      Node node, String label, List<String> keys, ConfigErrors errors, EnvSubstitution env) {
    if (!(node instanceof MappingNode mapping)) {
      errors.add(
          label, line(node), "expected a mapping with keys " + String.join(", ", keys)
              + ", got " + describe(node));
      return null;
    }
    return new MappingReader("", -1, mapping, keys, errors, env);
  }

  /** Dotted path of this mapping, e.g. {@code pools[0]}. */
  String path() {
    return path;
  }

  /** Position in the enclosing list, or -1. */
  int index() {
    return index;
  }

  /** 1-based line where this mapping starts. */
  int line() {
    return line(node);
  }

  /** Errors recorded so far in the whole file; lets cross-checks skip values already refused. */
  int errorCount() {
    return errors.count();
  }

  boolean has(String key) {
    return entries.containsKey(known(key));
  }

  /** Line of the key's value, or of this mapping when the key is absent. */
  int line(String key) {
    NodeTuple t = entries.get(known(key));
    return t == null ? line() : line(t.getValueNode());
  }

  String key(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Reports a problem with a key found by the caller (cross-checks such as duplicates). */
  void error(String key, String message) {
    errors.add(key(key), line(key), message);
  }

  void error(Item item, String message) {
    errors.add(item.key(), item.line(), message);
  }

  String string(String key, String fallback) {
    return scalar(key, false, fallback, "a string", text -> text);
  }

  String requiredString(String key) {
    return requiredValue(key, "a string", MappingReader::nonEmpty);
  }

  /** A string checked by {@code parser}, which throws IllegalArgumentException with the reason. */
  <T> T value(String key, T fallback, String expected, Function<String, T> parser) {
    return scalar(key, false, fallback, expected, parser);
  }

  /** Like {@link #value} but the key must be there; null when missing or invalid (reported). */
  <T> T requiredValue(String key, String expected, Function<String, T> parser) {
    return scalar(key, true, null, expected, parser);
  }

  int integer(String key, int fallback, int min, int max) {
    return scalar(key, false, fallback, "an integer", text -> parseInt(text, min, max));
  }

  Integer requiredInteger(String key, int min, int max) {
    return scalar(key, true, null, "an integer", text -> parseInt(text, min, max));
  }

  double decimal(String key, double fallback) {
    return scalar(key, false, fallback, "a number", MappingReader::parseDecimal);
  }

  boolean bool(String key, boolean fallback) {
    return scalar(key, false, fallback, "true or false", MappingReader::parseBoolean);
  }

  /** A duration; {@code positive} refuses zero (timeouts), otherwise zero is allowed. */
  Duration duration(String key, Duration fallback, boolean positive) {
    return scalar(key, false, fallback, "a duration such as 10s", text -> {
      Duration d = Units.parseDuration(text);
      if (positive && d.isZero()) {
        throw new IllegalArgumentException("must be greater than 0");
      }
      return d;
    });
  }

  int size(String key, int fallback, int min, int max) {
    return scalar(key, false, fallback, "a size such as 1MiB", text -> {
      long bytes = Units.parseSize(text);
      if (bytes < min || bytes > max) {
        throw new IllegalArgumentException(
            "must be between " + min + " and " + max + " bytes, got " + bytes);
      }
      return (int) bytes;
    });
  }

  /** A nested mapping, or null when absent (or not a mapping, which is reported). */
  MappingReader mapping(String key, List<String> nestedKeys) {
    Node n = present(key, false);
    return n == null ? null : open(n, key(key), -1, nestedKeys);
  }

  /**
   * A list of mappings. Entries that are not mappings are reported and left out. {@code required}
   * means present with at least one entry.
   */
  List<MappingReader> mappings(String key, List<String> itemKeys, boolean required) {
    SequenceNode seq = sequence(key, required);
    List<MappingReader> readers = new ArrayList<>();
    if (seq != null) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        MappingReader r = open(items.get(i), key(key) + "[" + i + "]", i, itemKeys);
        if (r != null) {
          readers.add(r);
        }
      }
    }
    return readers;
  }

  /** A list of strings; entries that are not scalars are reported and left out. */
  List<Item> strings(String key) {
    SequenceNode seq = sequence(key, false);
    List<Item> result = new ArrayList<>();
    if (seq != null) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        String itemKey = key(key) + "[" + i + "]";
        Node n = items.get(i);
        String text = text(itemKey, n, "a string");
        if (text != null) {
          result.add(new Item(itemKey, line(n), text));
        }
      }
    }
    return result;
  }

  private void indexEntries() {
    for (NodeTuple t : node.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
        errors.add(path.isEmpty() ? "(root)" : path, line(t.getKeyNode()),
            "keys must be plain names, got " + describe(t.getKeyNode()));
        continue;
      }
      String name = keyNode.getValue();
      if (!keys.contains(name)) {
        String suggestion = Spelling.closest(name, keys);
        errors.add(key(name), line(keyNode), "unknown key '" + name + "'; "
            + (suggestion != null
                ? "did you mean '" + suggestion + "'?"
                : "expected one of " + String.join(", ", keys)));
        continue;
      }
      NodeTuple first = entries.putIfAbsent(name, t);
      if (first != null) {
        errors.add(key(name), line(keyNode),
            "duplicate key (first given at line " + line(first.getKeyNode()) + ")");
      }
    }
  }

  private <T> T scalar(
      String key, boolean required, T fallback, String expected, Function<String, T> parser) {
    Node n = present(key, required);
    if (n == null) {
      return fallback;
    }
    String text = text(key(key), n, expected);
    if (text == null) {
      return fallback;
    }
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      errors.add(key(key), line(n), e.getMessage());
      return fallback;
    }
  }

  /** The scalar's text after env substitution, or null (reported) if it is not a scalar. */
  private String text(String fullKey, Node n, String expected) {
    if (!(n instanceof ScalarNode scalar)) {
      errors.add(fullKey, line(n), "expected " + expected + ", got " + describe(n));
      return null;
    }
    try {
      return env.apply(scalar.getValue());
    } catch (IllegalArgumentException e) {
      errors.add(fullKey, line(n), e.getMessage());
      return null;
    }
  }

  private SequenceNode sequence(String key, boolean required) {
    Node n = present(key, required);
    if (n == null) {
      return null;
    }
    if (!(n instanceof SequenceNode seq)) {
      errors.add(key(key), line(n), "expected a list, got " + describe(n));
      return null;
    }
    if (required && seq.getValue().isEmpty()) {
      errors.add(key(key), line(n), "needs at least one entry");
    }
    return seq;
  }

  /** The value node, or null when absent or empty ({@code key:} alone); required ones reported. */
  private Node present(String key, boolean required) {
    NodeTuple t = entries.get(known(key));
    if (t == null) {
      if (required) {
        errors.add(key(key), line(), "missing required key '" + key + "'");
      }
      return null;
    }
    Node value = t.getValueNode();
    if (Tag.NULL.equals(value.getTag())) {
      if (required) {
        errors.add(key(key), line(t.getKeyNode()), "'" + key + "' needs a value");
      }
      return null;
    }
    return value;
  }

  private MappingReader open(Node n, String fullKey, int position, List<String> nestedKeys) {
    if (!(n instanceof MappingNode mapping)) {
      errors.add(fullKey, line(n), "expected a mapping, got " + describe(n));
      return null;
    }
    return new MappingReader(fullKey, position, mapping, nestedKeys, errors, env);
  }

  /** Guards against a section asking for a key it did not declare (a bug, not a user error). */
  private String known(String key) {
    if (!keys.contains(key)) {
      throw new IllegalStateException("key '" + key + "' is not declared for " + path);
    }
    return key;
  }

  static int line(Node n) {
    return n == null ? 0 : n.getStartMark().getLine() + 1;
  }

  private static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "a mapping";
    } else if (n instanceof SequenceNode) {
      return "a list";
    } else if (n == null || Tag.NULL.equals(n.getTag())) {
      return "nothing";
    }
    return "'" + ((ScalarNode) n).getValue() + "'";
  }

  private static String nonEmpty(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return text;
  }

  private static int parseInt(String text, int min, int max) {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected an integer, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(max == Integer.MAX_VALUE
          ? "must be at least " + min + ", got " + value
          : "must be between " + min + " and " + max + ", got " + value);
    }
    return (int) value;
  }

  private static double parseDecimal(String text) {
    // no NaN, Infinity or hex floats, which Double.parseDouble would accept
    if (!text.trim().matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?")) {
      throw new IllegalArgumentException("expected a number, got '" + text + "'");
    }
    return Double.parseDouble(text.trim());
  }

  private static boolean parseBoolean(String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
    };
  }
}
