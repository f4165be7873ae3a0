package io.segflow.dsl.yaml;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.text.Utf8;
import io.segflow.dsl.yaml.YamlNode.ScalarKind;
import io.segflow.dsl.yaml.YamlNode.ScalarStyle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;

/**
 * Turns the bytes of one YAML file into a {@link YamlDocument}, or into exactly one located diagnostic that
 * says why it cannot. Built on the event stream of snakeyaml-engine rather than its recursive composer, so
 * that nesting depth, alias expansion and duplicate keys are checked here, each with a position, and no
 * input can exhaust the stack or the heap.
 */
public final class YamlLoader {
  /** Definitions are a page or two of YAML; anything near this size is a mistake. */
  public static final int MAX_BYTES = 1 << 20;
  /** Deepest nesting of mappings and sequences accepted; the language itself needs 5. */
  public static final int MAX_DEPTH = 32;
  /** Most nodes a document may hold once aliases are expanded (what an alias bomb inflates). */
  public static final long MAX_EXPANDED_NODES = 20_000;

  private static final CoreScalarResolver RESOLVER = new CoreScalarResolver(true);

  /** The outcome: a document, or the one diagnostic that stopped loading. */
  public sealed interface Result permits Loaded, Failed {}

  public record Loaded(YamlDocument document) implements Result {}

  public record Failed(Diagnostic diagnostic) implements Result {}

  private final String displayPath;

  private YamlLoader(String displayPath) {
    this.displayPath = displayPath;
  }

  public static Result load(String displayPath, byte[] bytes) {
    return new YamlLoader(displayPath).load(bytes);
  }

  private Result load(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      return fail(Position.START, DiagnosticCode.FILE_TOO_LARGE, String.format(
          "file is %,d bytes; definitions and environments are limited to %,d bytes", bytes.length, MAX_BYTES));
    }
    Optional<String> text = Utf8.decode(bytes);
    if (text.isEmpty()) {
      return new Failed(notText(bytes));
    }
    String source = text.get();
    if (source.isBlank()) {
      return fail(Position.START, DiagnosticCode.FILE_EMPTY, "file is empty; expected a YAML mapping");
    }
    List<String> lines = source.lines().toList();
    try {
      YamlNode root = buildTree(source);
      if (root == null) {
        return fail(Position.START, DiagnosticCode.FILE_EMPTY, "file holds only comments; expected a YAML mapping");
      }
      return new Loaded(new YamlDocument(displayPath, lines, root));
    } catch (Stop stop) {
      return new Failed(stop.diagnostic);
    } catch (MarkedYamlEngineException e) {
      Position at = e.getProblemMark().or(e::getContextMark).map(YamlLoader::position).orElse(Position.START);
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      String context = e.getContext() == null ? ""
          : " (" + e.getContext() + e.getContextMark().map(m -> " that starts at " + position(m)).orElse("") + ")";
      return fail(at, DiagnosticCode.YAML_SYNTAX, problem + context);
    } catch (YamlEngineException e) {
      return fail(Position.START, DiagnosticCode.YAML_SYNTAX, String.valueOf(e.getMessage()));
    }
  }

  /** Locates the first NUL or invalid UTF-8 byte, so the user can find it. */
  private Diagnostic notText(byte[] bytes) {
    int line = 1;
    int column = 1;
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xff;
      if (b == 0) {
        return Diagnostic.error(displayPath, new Position(line, column), DiagnosticCode.NOT_TEXT,
            "", "file holds a NUL byte (offset " + i + "): it looks binary, not YAML");
      }
      int len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : -1;
      boolean valid = len > 0 && i + len <= bytes.length;
      for (int k = 1; valid && k < len; k++) {
        valid = (bytes[i + k] & 0xc0) == 0x80;
      }
      if (!valid) {
        return Diagnostic.error(displayPath, new Position(line, column), DiagnosticCode.NOT_TEXT, "",
            String.format("byte 0x%02X at offset %d is not valid UTF-8; save the file as UTF-8", b, i));
      }
      if (b == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      i += len;
    }
    return Diagnostic.error(displayPath, Position.START, DiagnosticCode.NOT_TEXT, "", "file is not UTF-8 text");
  }

  private Result fail(Position at, DiagnosticCode code, String message) {
    return new Failed(Diagnostic.error(displayPath, at, code, "", message));
  }

  /** Thrown inside the tree builder to stop at the first structural problem. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Diagnostic diagnostic;

    Stop(Diagnostic diagnostic) {
      super(diagnostic.message(), null, false, false);
      this.diagnostic = diagnostic;
    }
  }

  private Stop stop(Position at, DiagnosticCode code, String message) {
    return new Stop(Diagnostic.error(displayPath, at, code, "", message));
  }

  /** A collection under construction. */
  private abstract static class Open {
    final Position start;
    final Optional<String> anchor;
    long size = 1;

    Open(Position start, Optional<String> anchor) {
      this.start = start;
      this.anchor = anchor;
    }

    abstract void add(YamlNode node, long nodeSize, Position at);

    abstract YamlNode close();
  }

  private final class OpenMapping extends Open {
    final Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    String pendingKey;
    Position pendingKeyAt;

    OpenMapping(Position start, Optional<String> anchor) {
      super(start, anchor);
    }

    @Override
    void add(YamlNode node, long nodeSize, Position at) {
      size = saturatedAdd(size, nodeSize);
      if (pendingKey == null) {
        if (!(node instanceof YamlNode.Scalar key)) {
          throw stop(at, DiagnosticCode.BAD_STRUCTURE, "keys must be plain strings, not a mapping or a list");
        }
        YamlNode.Entry first = entries.get(key.value());
        if (first != null) {
          throw stop(at, DiagnosticCode.DUPLICATE_KEY, "duplicate key '" + key.value()
              + "' (first at line " + first.keyPosition().line() + "); each key may appear once");
        }
        pendingKey = key.value();
        pendingKeyAt = at;
      } else {
        entries.put(pendingKey, new YamlNode.Entry(pendingKey, pendingKeyAt, node));
        pendingKey = null;
      }
    }

    @Override
    YamlNode close() {
      return new YamlNode.Mapping(start, entries);
    }
  }

  private static final class OpenSequence extends Open {
    final List<YamlNode> items = new ArrayList<>();

    OpenSequence(Position start, Optional<String> anchor) {
      super(start, anchor);
    }

    @Override
    void add(YamlNode node, long nodeSize, Position at) {
      size = saturatedAdd(size, nodeSize);
      items.add(node);
    }

    @Override
    YamlNode close() {
      return new YamlNode.Sequence(start, items);
    }
  }

  private record Anchored(YamlNode node, long size) {}

  private YamlNode buildTree(String source) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(displayPath)
        .setAllowDuplicateKeys(false)
        .setCodePointLimit(MAX_BYTES)
        .build();
    Deque<Open> open = new ArrayDeque<>();
    Map<String, Anchored> anchors = new HashMap<>();
    YamlNode root = null;
    long rootSize = 0;
    int documents = 0;
    for (Event event : new Parse(settings).parseString(source)) {
      Position at = event.getStartMark().map(YamlLoader::position).orElse(Position.START);
      YamlNode finished = null;
      long finishedSize = 0;
      switch (event.getEventId()) {
        case DocumentStart -> {
          if (++documents > 1) {
            throw stop(at, DiagnosticCode.BAD_STRUCTURE,
                "a second YAML document starts here; a file holds exactly one definition");
          }
        }
        case MappingStart, SequenceStart -> {
          if (open.size() >= MAX_DEPTH) {
            throw stop(at, DiagnosticCode.TOO_COMPLEX,
                "nesting is deeper than " + MAX_DEPTH + " levels; definitions need at most a handful");
          }
          CollectionStartEvent start = (CollectionStartEvent) event;
          checkTag(start.getTag(), at, event.getEventId() == Event.ID.MappingStart ? Tag.MAP : Tag.SEQ);
          Optional<String> anchor = start.getAnchor().map(Object::toString);
          open.push(event.getEventId() == Event.ID.MappingStart
              ? new OpenMapping(at, anchor)
              : new OpenSequence(at, anchor));
        }
        case MappingEnd, SequenceEnd -> {
          Open done = open.pop();
          YamlNode node = done.close();
          at = done.start;
          done.anchor.ifPresent(a -> anchors.put(a, new Anchored(node, done.size)));
          finished = node;
          finishedSize = done.size;
        }
        case Scalar -> {
          ScalarEvent scalar = (ScalarEvent) event;
          finished = scalar(scalar, at);
          finishedSize = 1;
          YamlNode node = finished;
          scalar.getAnchor().ifPresent(a -> anchors.put(a.toString(), new Anchored(node, 1)));
        }
        case Alias -> {
          String name = ((AliasEvent) event).getAlias().toString();
          Anchored target = anchors.get(name);
          if (target == null) {
            throw stop(at, DiagnosticCode.YAML_SYNTAX, "alias *" + name + " refers to no anchor defined before it");
          }
          finished = target.node();
          finishedSize = target.size();
        }
        default -> {
          // stream and document ends, comments: nothing to build
        }
      }
      if (finished != null) {
        if (open.isEmpty()) {
          root = finished;
          rootSize = finishedSize;
        } else {
          open.peek().add(finished, finishedSize, at);
        }
        long total = rootSize;
        for (Open o : open) {
          total = saturatedAdd(total, o.size);
        }
        if (total > MAX_EXPANDED_NODES) {
          throw stop(at, DiagnosticCode.TOO_COMPLEX, String.format(
              "document holds more than %,d values, counting what aliases repeat; a definition needs a few dozen",
              MAX_EXPANDED_NODES));
        }
      }
    }
    if (root != null && !(root instanceof YamlNode.Mapping)) {
      throw stop(root.start(), DiagnosticCode.BAD_STRUCTURE,
          "the document must be a mapping of keys (apiVersion:, name:, ...), not "
              + (root instanceof YamlNode.Sequence ? "a list" : "a single value"));
    }
    return root;
  }

  private YamlNode.Scalar scalar(ScalarEvent event, Position at) {
    Position end = event.getEndMark().map(YamlLoader::position).orElse(at);
    ScalarStyle style = switch (event.getScalarStyle()) {
      case PLAIN -> ScalarStyle.PLAIN;
      case SINGLE_QUOTED -> ScalarStyle.SINGLE_QUOTED;
      case DOUBLE_QUOTED -> ScalarStyle.DOUBLE_QUOTED;
      case LITERAL -> ScalarStyle.LITERAL;
      case FOLDED -> ScalarStyle.FOLDED;
      default -> ScalarStyle.PLAIN;
    };
    Tag tag = event.getTag().map(Tag::new)
        .orElseGet(() -> event.isPlain() ? RESOLVER.resolve(event.getValue(), true) : Tag.STR);
    checkTag(event.getTag(), at, tag);
    ScalarKind kind;
    if (Tag.INT.equals(tag)) {
      kind = ScalarKind.INTEGER;
    } else if (Tag.FLOAT.equals(tag)) {
      kind = ScalarKind.FLOAT;
    } else if (Tag.BOOL.equals(tag)) {
      kind = ScalarKind.BOOLEAN;
    } else if (Tag.NULL.equals(tag)) {
      kind = ScalarKind.NULL;
    } else {
      kind = ScalarKind.STRING;
    }
    return new YamlNode.Scalar(at, end, event.getValue(), kind, style);
  }

  /** Only YAML's standard tags are accepted: a custom tag would mean something segflow does not know. */
  private void checkTag(Optional<String> explicit, Position at, Tag resolved) {
    if (explicit.isEmpty() || explicit.get().equals("!")) {
      return;
    }
    String tag = explicit.get();
    boolean standard = tag.equals(Tag.STR.getValue()) || tag.equals(Tag.INT.getValue())
        || tag.equals(Tag.FLOAT.getValue()) || tag.equals(Tag.BOOL.getValue())
        || tag.equals(Tag.NULL.getValue()) || tag.equals(Tag.MAP.getValue()) || tag.equals(Tag.SEQ.getValue());
    if (!standard) {
      throw stop(at, DiagnosticCode.BAD_STRUCTURE, "tag " + tag + " is not supported; remove it");
    }
  }

  private static Position position(Mark mark) {
    return new Position(mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 || sum > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : sum;
  }
}
