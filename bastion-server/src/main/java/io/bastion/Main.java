package io.bastion;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
