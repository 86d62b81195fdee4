package io.bastion.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads and validates a Bastion YAML file. Works on SnakeYAML's node tree rather than on
 * constructed objects so every error can name its key and line, and reports all errors at once.
 */
public final class ConfigLoader {

  private static final List<String> ROOT_KEYS = List.of("listeners", "pools", "rules", "shutdown", "admin",
      "security", "detection", "cluster");
  private static final String ROOT = "(root)";

  private ConfigLoader() {}

  /** Loads a file; relative paths in it (certificates, keys) are relative to its folder. */
  public static BastionConfig load(Path file) throws ConfigException, IOException {
    Path folder = file.toAbsolutePath().getParent();
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), System::getenv,
        folder);
  }

  public static BastionConfig parse(String yaml, String sourceName) throws ConfigException {
    return parse(yaml, sourceName, System::getenv);
  }

  /**
   * @param env looks up environment variables for {@code ${NAME}} references; returns null when
   *     unset
   */
  public static BastionConfig parse(String yaml, String sourceName, Function<String, String> env)
      throws ConfigException {
    return parse(yaml, sourceName, env, Path.of("").toAbsolutePath());
  }

  /** As above; relative file paths in the YAML are resolved against {@code baseDir}. */
  public static BastionConfig parse(
      String yaml, String sourceName, Function<String, String> env, Path baseDir)
      throws ConfigException {
    ConfigErrors errors = new ConfigErrors();
    Node root = compose(yaml, errors);
    BastionConfig config = root == null ? null : read(root, errors, env, baseDir);
    if (!errors.isEmpty()) {
      throw new ConfigException(sourceName, errors.sorted());
    }
    return config;
  }

  /**
   * Parses a duration as written in the config: {@code 500ms}, {@code 10s}, {@code 2m}, {@code
   * 1h}, {@code 1d}.
   *
   * @throws IllegalArgumentException with a message for the user, e.g. when the unit is missing
   */
  public static Duration parseDuration(String text) {
    return Units.parseDuration(text);
  }

  private static Node compose(String yaml, ConfigErrors errors) {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
      errors.add("(yaml)", mark == null ? 0 : mark.getLine() + 1,
          "YAML syntax error: " + problem + context);
      return null;
    } catch (YAMLException e) {
      errors.add("(yaml)", 0, "YAML error: " + e.getMessage());
      return null;
    }
    if (root == null || Tag.NULL.equals(root.getTag())) {
      errors.add(ROOT, root == null ? 0 : MappingReader.line(root),
          "the file is empty; it needs at least 'listeners' and 'pools'");
      return null;
    }
    return root;
  }

  private static BastionConfig read(
      Node node, ConfigErrors errors, Function<String, String> env, Path baseDir) {
    MappingReader root = MappingReader.root(node, ROOT, ROOT_KEYS, errors, new EnvSubstitution(env));
    Instant now = Instant.now();
    if (root == null) {
      return null;
    }
    List<ListenerConfig> listeners =
        ListenerSection.read(root.mappings("listeners", ListenerSection.KEYS, true), baseDir, now);
    List<PoolConfig> pools =
        PoolSection.read(root.mappings("pools", PoolSection.KEYS, true), baseDir, now);
    List<RuleConfig> rules = RuleSection.read(
        root, root.mappings("rules", RuleSection.KEYS, false), listeners, pools);
    ShutdownConfig shutdown = ShutdownSection.read(root.mapping("shutdown", ShutdownSection.KEYS));
    AdminConfig admin = AdminSection.read(root.mapping("admin", AdminSection.KEYS), env, listeners);
    SecurityConfig security =
        SecuritySection.read(root.mapping("security", SecuritySection.KEYS), listeners, baseDir);
    // records hold placeholders once something was wrong; only a clean read is returned
    DetectionConfig detection =
        DetectionSection.read(root.mapping("detection", DetectionSection.KEYS), listeners, baseDir);
    ClusterConfig cluster = ClusterSection.read(root.mapping("cluster", ClusterSection.KEYS));
    return errors.isEmpty()
        ? new BastionConfig(listeners, pools, rules, shutdown, admin, security, detection, cluster)
        : null;
  }
}
