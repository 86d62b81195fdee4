package io.bastion.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * When the halves of a split cluster merge, each key keeps the value with the newest version: a
 * block added on one side and a removal (tombstone) made later on the other end as the removal.
 */
public final class NewestVersionWins
    implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {

  @Override
  public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    Object m = merging.getDeserializedValue();
    Object e = existing.getDeserializedValue();
    if (m instanceof Versioned mv && e instanceof Versioned ev) {
      return Versioned.newer(mv, ev) ? merging.getRawValue() : existing.getRawValue();
    }
    return existing.getRawValue();
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // stateless
  }

  @Override
  public void readData(ObjectDataInput in) {
    // stateless
  }
}
