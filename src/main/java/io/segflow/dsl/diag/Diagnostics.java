package io.segflow.dsl.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects every problem found, rather than stopping at the first. */
public final class Diagnostics {
  private final List<Diagnostic> all = new ArrayList<>();

  public void add(Diagnostic d) {
    all.add(d);
  }

  public void addAll(Iterable<Diagnostic> ds) {
    ds.forEach(all::add);
  }

  public boolean hasErrors() {
    return all.stream().anyMatch(Diagnostic::isError);
  }

  public long errorCount() {
    return all.stream().filter(Diagnostic::isError).count();
  }

  public long warningCount() {
    return all.size() - errorCount();
  }

  /** Every diagnostic, sorted by file, position and code. */
  public List<Diagnostic> sorted() {
    List<Diagnostic> copy = new ArrayList<>(all);
    copy.sort(Diagnostic.ORDER);
    return Collections.unmodifiableList(copy);
  }
}
