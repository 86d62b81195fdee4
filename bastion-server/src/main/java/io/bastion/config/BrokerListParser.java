package io.bastion.config;

import java.io.StringReader;
import java.util.List;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a file of brokers for file discovery: {@code brokers:} followed by entries as in {@code
 * pools[*].brokers}. JSON is read the same way (it is YAML). Errors name key and line.
 */
public final class BrokerListParser {

  private static final List<String> KEYS = List.of("brokers");

  private BrokerListParser() {}

  public static List<BrokerConfig> parse(String text, String sourceName) throws ConfigException {
    ConfigErrors errors = new ConfigErrors();
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      errors.add("(syntax)", mark == null ? 0 : mark.getLine() + 1,
          "syntax error: " + (e.getProblem() != null ? e.getProblem() : e.getMessage()));
      throw new ConfigException(sourceName, errors.sorted());
    } catch (YAMLException e) {
      errors.add("(syntax)", 0, "syntax error: " + e.getMessage());
      throw new ConfigException(sourceName, errors.sorted());
    }
    if (root == null) {
      errors.add("(root)", 0, "the file is empty; it needs 'brokers'");
      throw new ConfigException(sourceName, errors.sorted());
    }
    MappingReader r = MappingReader.root(root, "(root)", KEYS, errors,
        new EnvSubstitution(name -> null));
    List<BrokerConfig> brokers =
        r == null ? List.of() : BrokerSection.read(r.mappings("brokers", BrokerSection.KEYS, false));
    if (!errors.isEmpty()) {
      throw new ConfigException(sourceName, errors.sorted());
    }
    return brokers;
  }
}
