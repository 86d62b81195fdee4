package io.bastion;

import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code bastion} command line. */
@Command(
    name = "bastion",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "MQTT-aware load balancer and secure edge proxy.",
    subcommands = {
      RunCommand.class,
      CheckConfigCommand.class,
      PasswdCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--log-format", paramLabel = "plain|json", scope = CommandLine.ScopeType.INHERIT,
      description = "log lines as plain text (default) or one JSON object per line; "
          + "also BASTION_LOG_FORMAT")
  String logFormat;

  public static void main(String[] args) {
    chooseLogFormat(args, System.getenv("BASTION_LOG_FORMAT"));
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      // sampling leak detection records a stack trace per sampled buffer: tests keep it, production not
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** Logging is configured when the first logger is made, so this runs before anything logs. */
  static void chooseLogFormat(String[] args, String fromEnv) {
    String format = fromEnv;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--log-format") && i + 1 < args.length) {
        format = args[i + 1];
      } else if (args[i].startsWith("--log-format=")) {
        format = args[i].substring("--log-format=".length());
      }
    }
    if ("json".equalsIgnoreCase(format) && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
