package io.bastion.config;

/** Whether a detector only reports what it finds or also acts on it. */
public enum DetectionMode {
  OBSERVE,
  ENFORCE
}
