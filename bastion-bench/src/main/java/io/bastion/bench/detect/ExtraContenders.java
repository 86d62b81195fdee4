package io.bastion.bench.detect;

import io.bastion.detect.ClientWindow;
import io.bastion.detect.Responder;
import io.bastion.detect.WindowRules;
import io.bastion.detect.WindowSink;
import java.time.Clock;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The hook for more detector sets in the detection suite: each contender listed here is run on the
 * same windows as the model and the flapping baseline, and gets its own columns in the report.
 * "rules only" is the rule detectors at their default limits, every rule enforcing; "model +
 * rules" is how a node runs, both feeding one responder.
 */
final class ExtraContenders {

  private ExtraContenders() {}

  static List<SuiteContender> all(BiFunction<Responder, Clock, WindowSink> model) {
    return List.of(
        contender("rules only (default limits, all enforcing)",
            (responder, clock) -> WindowRules.enforcingDefaults(responder)),
        contender("model + rules (as a node runs them)",
            (responder, clock) -> new Both(model.apply(responder, clock), WindowRules.enforcingDefaults(responder))));
  }

  private static SuiteContender contender(String name, BiFunction<Responder, Clock, WindowSink> create) {
    return new SuiteContender() {
      public String name() {
        return name;
      }

      public WindowSink create(Responder responder, Clock clock) {
        return create.apply(responder, clock);
      }
    };
  }

  /** Rules and model on the same windows, as the detection engine hands them to both. */
  private record Both(WindowSink model, WindowSink rules) implements WindowSink, AutoCloseable {
    @Override
    public void accept(List<ClientWindow> windows) {
      rules.accept(windows);
      model.accept(windows);
    }

    @Override
    public void close() throws Exception {
      if (model instanceof AutoCloseable c) {
        c.close();
      }
    }
  }
}
