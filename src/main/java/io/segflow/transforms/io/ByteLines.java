package io.segflow.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a stream of UTF-8 bytes, as {@link java.io.BufferedReader#readLine} ends them ({@code \n},
 * {@code \r} or {@code \r\n}), with where each starts and ends in the stream. A line's text is decoded
 * only when asked for (bad bytes become U+FFFD, as the reader's decoder makes them), so a pass that only
 * needs where records end costs no string per line.
 */
final class ByteLines {
  private final InputStream in;
  private byte[] buffer = new byte[1 << 16];
  private int filled; // bytes of the buffer that hold data
  private long bufferStart; // the stream offset of buffer[0]
  private int next; // where the next line starts in the buffer
  private int lineStart;
  private int lineEnd; // exclusive, before the terminator
  private boolean eof;

  ByteLines(InputStream in) {
    this.in = in;
  }

  /** Moves to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    int i = next;
    while (true) {
      while (i < filled && buffer[i] != '\n' && buffer[i] != '\r') {
        i++;
      }
      boolean crAtEnd = i < filled && buffer[i] == '\r' && i + 1 == filled && !eof; // \r\n may be split
      if (i < filled && !crAtEnd) {
        lineStart = next;
        lineEnd = i;
        next = buffer[i] == '\r' && i + 1 < filled && buffer[i + 1] == '\n' ? i + 2 : i + 1;
        return true;
      }
      if (eof) {
        if (i == next) {
          return false;
        }
        lineStart = next;
        lineEnd = i;
        next = i;
        return true;
      }
      i -= fill();
    }
  }

  /** Keeps the current line's bytes at the start of the buffer and reads more; returns how far they moved. */
  private int fill() throws IOException {
    int shift = next;
    if (shift > 0) {
      System.arraycopy(buffer, shift, buffer, 0, filled - shift);
      filled -= shift;
      next = 0;
      bufferStart += shift;
    }
    if (filled == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2); // a line longer than the buffer
    }
    int read = in.read(buffer, filled, buffer.length - filled);
    if (read < 0) {
      eof = true;
    } else {
      filled += read;
    }
    return shift;
  }

  /** Where the current line starts in the stream. */
  long start() {
    return bufferStart + lineStart;
  }

  /** Where the line after the current one starts in the stream (after the current line's terminator). */
  long nextStart() {
    return bufferStart + next;
  }

  /** The current line's length in bytes, without its terminator. */
  int length() {
    return lineEnd - lineStart;
  }

  /** Whether the current line holds the byte {@code b} (an ASCII character: no byte of another is one). */
  boolean contains(char b) {
    for (int i = lineStart; i < lineEnd; i++) {
      if (buffer[i] == b) {
        return true;
      }
    }
    return false;
  }

  /** The current line's text. */
  String text() {
    return new String(buffer, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8); // replaces bad bytes
  }
}
