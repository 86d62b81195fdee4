package io.bastion.routing;

/**
 * A 64-bit hash that is the same in every JVM and on every machine, so every Bastion node routes
 * a client id to the same broker. FNV-1a over the UTF-16 chars (no encoding, no allocation),
 * finished with the murmur3 avalanche so nearby ids spread.
 */
public final class StableHash {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private StableHash() {}

  public static long of(CharSequence s) {
    long h = FNV_OFFSET;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = (h ^ (c & 0xff)) * FNV_PRIME;
      h = (h ^ (c >>> 8)) * FNV_PRIME;
    }
    return mix(h);
  }

  /** murmur3's fmix64: every input bit affects every output bit. */
  public static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** Combines a key hash and a target hash into a uniform double in (0, 1). */
  public static double unitInterval(long keyHash, long targetHash) {
    long h = mix(keyHash ^ (targetHash * 0x9e3779b97f4a7c15L));
    // 53 random bits, shifted off zero so log() stays finite
    return ((h >>> 11) + 0.5) * 0x1.0p-53;
  }
}
