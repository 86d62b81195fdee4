package io.bastion.config;

/**
 * One pool of a rule's ordered list (hybrid routing across sites): clients go to the pool with
 * the best (lowest) priority that is up and not full.
 *
 * @param capacity the most sessions one broker of this pool takes, for the load threshold where
 *     a broker does not report its own; 0: the rule's {@code overflow.capacity}
 */
public record PriorityPoolConfig(String pool, int priority, int capacity) {

  public PriorityPoolConfig(String pool, int priority) {
    this(pool, priority, 0);
  }
}
