package io.segflow.pipeline;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who is in a definition's control group: SHA-256 of the salt and the entity (as text), its first 64 bits
 * read as a fraction of 2^64, below the share. Depends on nothing but those two, so an entity stays in or
 * out across runs, runners and machines for as long as the salt stays; a new salt draws a new group.
 */
record HoldoutGroup(double share, String salt) implements Serializable {
  /** No control group: nobody is held out. */
  static final HoldoutGroup NONE = new HoldoutGroup(0, "");

  boolean holdsOut(Object entity) {
    if (share <= 0) {
      return false;
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    sha.update(salt.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0); // so that salt "a" + entity "bc" and salt "ab" + entity "c" differ
    byte[] digest = sha.digest(String.valueOf(entity).getBytes(StandardCharsets.UTF_8));
    long bits = ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
    // The unsigned 64 bits as a fraction in [0, 1): the top 53 bits are exact in a double.
    double fraction = (bits >>> 11) * 0x1.0p-53;
    return fraction < share;
  }
}
