package io.bastion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Errors about the shape of the document rather than about one value. */
class StructureErrorsTest {

  private static final String POOL = """
      pools:
        - name: default
          brokers:
            - host: 127.0.0.1
              port: 1884
      """;

  @Test
  void listEntryThatIsNotAMapping() {
    assertThat(errors("listeners:\n  - mqtt\n" + POOL)).containsExactly(
        new ConfigError("listeners[0]", 2, "expected a mapping, got 'mqtt'"));
  }

  @Test
  void mappingWhereAScalarIsExpected() {
    assertThat(errors("""
        listeners:
          - name: {a: 1}
            port: 1883
        """ + POOL)).containsExactly(
        new ConfigError("listeners[0].name", 2, "expected a string, got a mapping"));
  }

  @Test
  void duplicateKey() {
    assertThat(errors("""
        listeners:
          - name: mqtt
            port: 1883
            port: 1884
        """ + POOL)).containsExactly(
        new ConfigError("listeners[0].port", 4, "duplicate key (first given at line 3)"));
  }

  @Test
  void keyWithoutValue() {
    assertThat(errors("""
        listeners:
          - name: mqtt
            port:
        """ + POOL)).containsExactly(
        new ConfigError("listeners[0].port", 3, "'port' needs a value"));
  }

  @Test
  void rootThatIsNotAMapping() {
    assertThat(errors("- a\n- b\n")).singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("expected a mapping with keys"));
  }

  @Test
  void severalDocumentsAreASyntaxError() {
    assertThat(errors("listeners: []\n---\npools: []\n")).singleElement()
        .satisfies(e -> assertThat(e.key()).isEqualTo("(yaml)"));
  }

  @Test
  void invalidValueDoesNotCascadeIntoCrossChecks() {
    assertThat(errors("""
        listeners:
          - name: mqtt
            port: 1883
        pools:
          - name: default
            health:
              interval: often
              timeout: 10s
            brokers:
              - host: 127.0.0.1
                port: 1884
        """)).extracting(ConfigError::key).containsExactly("pools[0].health.interval");
  }

  private static List<ConfigError> errors(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.parse(yaml, "test.yaml", name -> null));
    assertThat(e).as("expected errors for:\n" + yaml).isNotNull();
    return e.errors();
  }
}
