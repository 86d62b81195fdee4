package io.bastion.bench.detect;

import io.bastion.detect.Responder;
import io.bastion.detect.WindowSink;
import java.time.Clock;

/**
 * One detector set the suite runs side by side with the others on the same windows. {@link
 * #create} is called once per seed; a sink that is also {@link AutoCloseable} is closed after it.
 */
public interface SuiteContender {

  String name();

  WindowSink create(Responder responder, Clock clock);
}
