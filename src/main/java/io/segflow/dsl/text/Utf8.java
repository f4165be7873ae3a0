package io.segflow.dsl.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Strict UTF-8: text files of definitions must decode without replacement characters. */
public final class Utf8 {
  private Utf8() {}

  /** The text, without a leading byte order mark; empty if a byte is NUL or not valid UTF-8. */
  public static Optional<String> decode(byte[] bytes) {
    int offset = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
    for (int i = offset; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
