package io.bastion.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * The JMH micro-benchmarks of {@code io.bastion.bench.jmh}, with JMH's own command line: {@code
 * bastion-bench.jar jmh -f 1 -wi 3 -i 5 Routing}, {@code jmh -h}, {@code jmh -l}.
 */
@Command(name = "jmh",
    description = "Run the JMH micro-benchmarks; every argument goes to JMH (try: jmh -h, jmh -l).")
final class JmhCommand implements Callable<Integer> {

  // no options or parameters of our own: picocli hands every argument over, in order
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(args.toArray(String[]::new));
    return 0;
  }
}
