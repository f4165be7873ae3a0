package io.segflow.dsl.methods;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.model.SegmentationSpec;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlNode;
import java.util.List;

/**
 * One segmentation method in the language. The JSON Schema has already checked the block's shape; this
 * binds it and checks what a schema cannot say.
 *
 * @param <S> the method's model
 */
public interface MethodSyntax<S extends SegmentationSpec> {
  /** The value of {@code segmentation.method}. */
  String method();

  Class<S> specType();

  /** Binds the {@code segmentation:} block, already valid against the schema. */
  S load(YamlDocument doc, YamlNode.Mapping segmentation);

  /** Problems in the method's options alone (before the features query is planned). */
  List<Diagnostic> check(S spec, YamlDocument doc);

  /** The columns of the features query the method reads, each located in the definition. */
  List<RequiredColumn> requiredColumns(S spec);

  /** SQL conditions the method evaluates over the features query's rows (rules), to plan against its output. */
  default List<Condition> conditions(S spec) {
    return List.of();
  }

  /** INTEGER columns the method adds to the features' rows before it evaluates its conditions (rfm's scores). */
  default List<String> integerColumns(S spec) {
    return List.of();
  }

  /**
   * A condition over the features, as written.
   *
   * @param field where the definition has it, as a message writes it ({@code segmentation.rules[0].when})
   */
  record Condition(io.segflow.dsl.model.SqlText sql, String field) {}
}
