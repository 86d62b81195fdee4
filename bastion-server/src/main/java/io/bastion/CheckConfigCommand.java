package io.bastion;

import io.bastion.config.ConfigError;
import io.bastion.config.ConfigException;
import io.bastion.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Validates a configuration file and prints every error with its key and line. */
@Command(name = "check-config", description = "Validate a configuration file; exit 1 on errors.")
final class CheckConfigCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "the YAML configuration file")
  Path file;

  @Override
  public Integer call() {
    try {
      ConfigLoader.load(file);
      System.out.println(file + ": OK");
      return 0;
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        System.err.println(file + ": " + error);
      }
      System.err.println(file + ": " + e.errors().size() + " error(s)");
      return 1;
    } catch (IOException e) {
      System.err.println(file + ": cannot read: " + e.getMessage());
      return 1;
    }
  }
}
