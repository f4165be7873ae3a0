package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.load.DefinitionLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid definitions at random (seeded, so a failure replays) and checks that validation never
 * throws and that every problem it reports is located inside the file it names.
 */
class MutationFuzzTest {
  private static final long SEED = 20261126L;
  private static final int MUTANTS = 600;
  private static final List<String> REPLACEMENTS = List.of(
      "five", "-1", "0", "[]", "{}", "~", "true", "3.5", "\"\"", "[a, [b, {c: d}]]", "&x 1", "*nope", "!!int x",
      ".inf", "0x1F", "'unterminated", "{min: 9, max: 2}", "\"\\u0000\"");

  private final DefinitionValidator validator = new DefinitionValidator();

  private record Seed(Path file, byte[] bytes) {}

  private record Mutant(String how, byte[] bytes, boolean mustFail) {}

  @Test
  void mutatedDefinitionsGiveLocatedErrorsNeverExceptions() throws IOException {
    List<Seed> seeds = seeds();
    Random random = new Random(SEED);
    int invalid = 0;
    for (int i = 0; i < MUTANTS; i++) {
      Seed seed = seeds.get(random.nextInt(seeds.size()));
      Mutant mutant = mutate(seed.bytes, random);
      String label = "mutant " + i + " of " + seed.file.getFileName() + " (" + mutant.how + ")";
      List<Diagnostic> diagnostics = check(seed.file, mutant.bytes, label);
      boolean hasError = diagnostics.stream().anyMatch(Diagnostic::isError);
      if (mutant.mustFail) {
        assertTrue(hasError, label + " must be rejected, got " + diagnostics);
      }
      invalid += hasError ? 1 : 0;
      int lines = lineCount(mutant.bytes);
      for (Diagnostic d : diagnostics) {
        assertNotEquals(DiagnosticCode.INTERNAL, d.code(), label + ": " + d.render());
        assertFalse(d.message().isBlank(), label + ": empty message");
        if (!d.file().endsWith(".sql")) {
          assertTrue(d.position().line() <= lines + 1, label + ": line beyond the file: " + d.render());
        }
      }
    }
    // Most random edits break a definition; if they did not, the mutations would be testing nothing.
    assertTrue(invalid > MUTANTS / 2, "only " + invalid + " of " + MUTANTS + " mutants were rejected");
  }

  private List<Diagnostic> check(Path file, byte[] bytes, String label) {
    try {
      DefinitionLoader.Loaded loaded = DefinitionLoader.loadBytes(file, file.toString(), bytes);
      return validator.check(loaded, Optional.of(TestEnvironments.test())).diagnostics();
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw new AssertionError(label + " threw " + e + "\n--- input ---\n"
          + new String(bytes, StandardCharsets.UTF_8), e);
    }
  }

  private static List<Seed> seeds() throws IOException {
    List<Seed> seeds = new ArrayList<>();
    try (Stream<Path> files = Files.list(TestEnvironments.DSL_FIXTURES.resolve("valid"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        seeds.add(new Seed(f, Files.readAllBytes(f)));
      }
    }
    assertTrue(seeds.size() >= 5, "valid fixtures missing");
    return seeds;
  }

  private static Mutant mutate(byte[] original, Random random) {
    String text = new String(original, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    int at = random.nextInt(lines.size());
    switch (random.nextInt(8)) {
      case 0 -> {
        String removed = lines.remove(at);
        boolean requiredTopKey = removed.matches("^(apiVersion|name|description|entity|sources|features|segmentation):.*");
        return new Mutant("delete line " + (at + 1), bytes(lines), requiredTopKey);
      }
      case 1 -> {
        lines.add(at, lines.get(at));
        boolean key = lines.get(at).matches("^\\s*[A-Za-z_$]+:.*");
        return new Mutant("duplicate line " + (at + 1), bytes(lines), key);
      }
      case 2 -> {
        String line = lines.get(at);
        int colon = line.indexOf(": ");
        if (colon < 0) {
          return new Mutant("truncate", Arrays.copyOf(original, random.nextInt(original.length + 1)), false);
        }
        String value = REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size()));
        lines.set(at, line.substring(0, colon + 2) + value);
        return new Mutant("retype line " + (at + 1) + " to " + value, bytes(lines), false);
      }
      case 3 -> {
        return new Mutant("truncate", Arrays.copyOf(original, random.nextInt(original.length + 1)), false);
      }
      case 4 -> {
        byte[] copy = original.clone();
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips; f++) {
          copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return new Mutant("flip " + flips + " bits", copy, false);
      }
      case 5 -> {
        byte[] noise = new byte[1 + random.nextInt(16)];
        random.nextBytes(noise);
        int offset = random.nextInt(original.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(original, 0, offset);
        out.write(noise, 0, noise.length);
        out.write(original, offset, original.length - offset);
        return new Mutant("insert " + noise.length + " random bytes", out.toByteArray(), false);
      }
      case 6 -> {
        String line = lines.get(at);
        lines.set(at, random.nextBoolean() ? "  " + line : line.replaceFirst("^ {1,2}", ""));
        return new Mutant("re-indent line " + (at + 1), bytes(lines), false);
      }
      default -> {
        String line = lines.get(at);
        int colon = line.indexOf(':');
        if (colon <= 0) {
          return new Mutant("truncate", Arrays.copyOf(original, random.nextInt(original.length + 1)), false);
        }
        lines.set(at, line.substring(0, colon) + "x" + line.substring(colon));
        boolean topLevel = !line.startsWith(" ") && !line.startsWith("#") && !line.startsWith("{");
        return new Mutant("rename key on line " + (at + 1), bytes(lines), topLevel);
      }
    }
  }

  private static byte[] bytes(List<String> lines) {
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  private static int lineCount(byte[] bytes) {
    int n = 1;
    for (byte b : bytes) {
      n += b == '\n' ? 1 : 0;
    }
    return n;
  }
}
