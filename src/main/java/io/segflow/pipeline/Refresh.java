package io.segflow.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How a run's segments relate to the published run it follows: the ids it kept, the ids it added and the
 * previous ids it no longer has. A definition's first run added every id.
 */
public record Refresh(Optional<String> previousRunId, List<Integer> kept, List<Integer> added,
    List<Integer> vanished) {
  public Refresh {
    kept = List.copyOf(kept);
    added = List.copyOf(added);
    vanished = List.copyOf(vanished);
  }

  /** From the ids the run published and the previous run, if there is one. */
  static Refresh of(java.util.Collection<Integer> published, Optional<PublishedRun> previous) {
    TreeSet<Integer> before = new TreeSet<>();
    previous.ifPresent(p -> p.segments().forEach(s -> before.add(Math.toIntExact(s.id()))));
    TreeSet<Integer> now = new TreeSet<>(published);
    List<Integer> kept = new ArrayList<>();
    List<Integer> added = new ArrayList<>();
    for (int id : now) {
      (before.contains(id) ? kept : added).add(id);
    }
    List<Integer> vanished = before.stream().filter(id -> !now.contains(id)).toList();
    return new Refresh(previous.map(PublishedRun::runId), kept, added, vanished);
  }

  /** As run.json holds it. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("previous_run_id", previousRunId.orElse(null));
    json.put("kept_segments", kept);
    json.put("new_segments", added);
    json.put("vanished_segments", vanished);
    return json;
  }

  /** One line for people: "segments kept from run X: 0, 1, 2; new: 5; vanished: 3". */
  public String describe() {
    if (previousRunId.isEmpty()) {
      return "first published run of this definition: segments " + ids(added);
    }
    return "segments kept from run " + previousRunId.get() + ": " + (kept.isEmpty() ? "none" : ids(kept))
        + "; new: " + (added.isEmpty() ? "none" : ids(added)) + "; vanished: "
        + (vanished.isEmpty() ? "none" : ids(vanished));
  }

  private static String ids(List<Integer> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
