package io.bastion.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar bastion-bench.jar <scenario> [options]}. */
@Command(name = "bastion-bench", mixinStandardHelpOptions = true,
    description = "Load generator and micro-benchmarks for Bastion (and any MQTT endpoint).",
    subcommands = {
      ThroughputCommand.class,
      LatencyCommand.class,
      ConnectCommand.class,
      TlsCommand.class,
      JmhCommand.class,
      io.bastion.bench.detect.DetectionSuiteCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BenchMain {

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
