package io.bastion.detect;

import java.util.List;

/** Receives each closed window's client windows, on a detection thread (never an event loop). */
public interface WindowSink {

  void accept(List<ClientWindow> windows);
}
