package io.bastion.routing;

import java.util.List;

/** What priority routing needs to know of the pools: which brokers take new sessions now. */
public interface PoolView {

  /** The pool's brokers that may take new sessions now; empty when none, or no such pool. */
  List<? extends Target> available(String pool);
}
