package io.bastion.config;

/** Whether a listener asks clients who they are. */
public enum AuthMode {
  /** Credentials are not checked; everyone is anonymous to Bastion (the broker may still check). */
  OFF,
  /** Clients without credentials come in anonymous; clients with wrong credentials are refused. */
  OPTIONAL,
  /** Only clients that prove who they are come in. */
  REQUIRED
}
