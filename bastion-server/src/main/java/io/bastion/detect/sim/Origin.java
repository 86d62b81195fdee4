package io.bastion.detect.sim;

/** Where an attack comes from. */
public enum Origin {
  /** a client id and address never seen before */
  NEW_CLIENT,
  /** a legitimate device's own id: a hijacked device or stolen credentials */
  LEGIT_DEVICE,
  /** a hundred new clients from a hundred addresses, each doing the same */
  SPREAD
}
