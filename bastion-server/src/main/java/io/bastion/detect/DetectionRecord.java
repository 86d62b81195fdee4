package io.bastion.detect;

/**
 * A detection as it was handled: what was found and what Bastion did.
 *
 * @param action {@code observe}, {@code throttle}, {@code deny}, {@code block}, or {@code
 *     none (allowlisted)}
 * @param blockSeconds how long a block lasts, 0 when nothing was blocked
 */
public record DetectionRecord(Detection detection, String action, String listener, long blockSeconds) {}
