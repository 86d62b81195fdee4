package io.bastion.detect;

/** Acts on detections: logs them, and when the detector is enforcing, throttles, denies or blocks. */
public interface Responder {

  /** Called from detection threads, never from an event loop; must not block on the network. */
  void respond(Detection detection);

  /** Whether a client is currently flagged by any detector (its windows must not train a model). */
  boolean flagged(String clientId);
}
