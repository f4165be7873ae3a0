package io.segflow.dsl.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Expands the paths given on the command line into definition files, each with the path to show for it. */
public final class DefinitionFiles {
  private DefinitionFiles() {}

  /** A file to check, and its path as the user would write it (used in every diagnostic). */
  public record Target(Path file, String display) {}

  /**
   * Files are taken as given; folders are searched recursively for *.yaml and *.yml, skipping hidden
   * folders, in a stable order. A path that does not exist is kept, so loading reports it.
   */
  public static List<Target> expand(List<String> given) throws IOException {
    List<Target> out = new ArrayList<>();
    for (String g : given) {
      Path path = Path.of(g);
      if (!Files.isDirectory(path)) {
        out.add(new Target(path, g));
        continue;
      }
      try (Stream<Path> walk = Files.walk(path)) {
        walk.filter(Files::isRegularFile)
            .filter(p -> isYaml(p.getFileName().toString()))
            .filter(p -> !isHidden(path.relativize(p)))
            .sorted(Comparator.comparing(Path::toString))
            .forEach(p -> out.add(new Target(p, p.toString())));
      }
    }
    return out;
  }

  private static boolean isYaml(String name) {
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static boolean isHidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
