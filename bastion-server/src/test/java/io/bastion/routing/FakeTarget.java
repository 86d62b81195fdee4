package io.bastion.routing;

/** A target with a settable load, for balancer tests. */
final class FakeTarget implements Target {
  private final String id;
  private final long hash;
  private final int weight;
  int load;

  FakeTarget(String id, int weight) {
    this.id = id;
    this.hash = StableHash.of(id);
    this.weight = weight;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public long idHash() {
    return hash;
  }

  @Override
  public int weight() {
    return weight;
  }

  @Override
  public int load() {
    return load;
  }

  @Override
  public String toString() {
    return id;
  }
}
