package io.segflow.transforms.points;

import java.nio.charset.StandardCharsets;

/**
 * A seeded 64-bit hash of an entity key. Sampling keeps the points with the smallest hashes, so the sample
 * is a function of the data and the seed alone, never of the order in which a runner delivers points.
 */
public final class Hashing {
  private Hashing() {}

  public static long hash(long seed, String key) {
    long h = 0xcbf2_9ce4_8422_2325L ^ mix(seed);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x0000_0100_0000_01b3L;
    }
    return mix(h);
  }

  /** SplitMix64's finaliser: spreads every input bit over the output. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
    return z ^ (z >>> 31);
  }
}
