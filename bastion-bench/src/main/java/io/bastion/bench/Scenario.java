package io.bastion.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A load scenario: runs against the common target options, prints its report, writes it as JSON
 * when asked, and exits 2 when anything failed.
 */
abstract class Scenario implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  final Failures failures = new Failures();

  /** Runs the scenario and returns what it measured. */
  abstract Report run() throws Exception;

  /** Whether the run counts as a success beyond having no failures. */
  boolean passed() {
    return true;
  }

  @Override
  public final Integer call() throws Exception {
    Report report = run();
    report.print(spec.commandLine().getOut());
    report.writeJson(common.json);
    return failures.count() == 0 && passed() ? 0 : 2;
  }
}
