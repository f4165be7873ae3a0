package io.segflow.dsl.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the file of an environment given by name ({@code local}) or by path. Names are looked up as
 * {@code pipelines/environments/<name>.yaml} in the current folder or the nearest parent that has one (as
 * git finds its repository), then under {@code $SEGFLOW_HOME}, which the launcher sets to the checkout.
 */
public final class EnvironmentResolver {
  public static final String DEFAULT_ENVIRONMENT = "local";
  static final Path ENVIRONMENTS = Path.of("pipelines", "environments");

  private final Path workingDirectory;
  private final Optional<Path> home;

  public EnvironmentResolver(Path workingDirectory, Optional<Path> home) {
    this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    this.home = home.map(h -> h.toAbsolutePath().normalize());
  }

  public static EnvironmentResolver fromProcess() {
    String home = System.getenv("SEGFLOW_HOME");
    return new EnvironmentResolver(Path.of("").toAbsolutePath(),
        home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home)));
  }

  /** Where an environment argument points: a file to load, or why there is none. */
  public sealed interface Resolution permits Found, NotFound {}

  /** {@code display} is how diagnostics name the file. */
  public record Found(Path file, String display) implements Resolution {}

  public record NotFound(String message) implements Resolution {}

  public Resolution resolve(String nameOrPath) {
    boolean isPath = nameOrPath.contains("/") || nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml");
    if (isPath) {
      Path file = workingDirectory.resolve(nameOrPath).normalize();
      return Files.isRegularFile(file)
          ? new Found(file, nameOrPath)
          : new NotFound("environment file " + nameOrPath + " does not exist");
    }
    for (Path folder : searchFolders()) {
      for (String ext : List.of(".yaml", ".yml")) {
        Path file = folder.resolve(nameOrPath + ext);
        if (Files.isRegularFile(file)) {
          return new Found(file, display(file));
        }
      }
    }
    TreeSet<String> known = new TreeSet<>();
    for (Path folder : searchFolders()) {
      try (Stream<Path> files = Files.list(folder)) {
        files.map(f -> f.getFileName().toString())
            .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
            .forEach(n -> known.add(n.substring(0, n.lastIndexOf('.'))));
      } catch (IOException e) {
        // an unreadable folder offers no names
      }
    }
    return new NotFound("no environment named '" + nameOrPath + "' in " + ENVIRONMENTS
        + (known.isEmpty() ? " (none found: run from the project's folder or pass a path)" : "; known: " + String.join(", ", known)));
  }

  private List<Path> searchFolders() {
    java.util.ArrayList<Path> folders = new java.util.ArrayList<>();
    for (Path dir = workingDirectory; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(ENVIRONMENTS);
      if (Files.isDirectory(candidate)) {
        folders.add(candidate);
        break;
      }
    }
    home.map(h -> h.resolve(ENVIRONMENTS)).filter(Files::isDirectory).filter(f -> !folders.contains(f)).ifPresent(folders::add);
    return folders;
  }

  private String display(Path file) {
    return file.startsWith(workingDirectory) ? workingDirectory.relativize(file).toString() : file.toString();
  }
}
