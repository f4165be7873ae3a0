package io.segflow.dsl.methods;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.model.SegmentationSpec;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlFields;
import io.segflow.dsl.yaml.YamlNode;
import java.util.List;

/** The methods of the language, one line each; the loader and the checks reach a method only through here. */
public final class MethodSyntaxes {
  private static final List<MethodSyntax<?>> METHODS = List.of(new KMeansSyntax(),
      new BisectingKMeansSyntax(), new DbscanSyntax(), new RulesSyntax(), new RfmSyntax());

  private MethodSyntaxes() {}

  /** Binds a {@code segmentation:} block by its {@code method}. */
  public static SegmentationSpec load(YamlDocument doc, YamlNode.Mapping segmentation) {
    String method = YamlFields.requiredString(segmentation, "method");
    return METHODS.stream().filter(m -> m.method().equals(method)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no method " + method + " (the schema lets it through)"))
        .load(doc, segmentation);
  }

  /** The {@code method} a spec was declared with ("kmeans", "rules", ...). */
  public static String name(SegmentationSpec spec) {
    return syntaxOf(spec).method();
  }

  public static List<Diagnostic> check(SegmentationSpec spec, YamlDocument doc) {
    return checkAs(syntaxOf(spec), spec, doc);
  }

  public static List<RequiredColumn> requiredColumns(SegmentationSpec spec) {
    return columnsAs(syntaxOf(spec), spec);
  }

  public static List<MethodSyntax.Condition> conditions(SegmentationSpec spec) {
    return conditionsAs(syntaxOf(spec), spec);
  }

  public static List<String> integerColumns(SegmentationSpec spec) {
    return integerColumnsAs(syntaxOf(spec), spec);
  }

  private static MethodSyntax<?> syntaxOf(SegmentationSpec spec) {
    return METHODS.stream().filter(m -> m.specType().isInstance(spec)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no syntax registered for " + spec.getClass()));
  }

  private static <S extends SegmentationSpec> List<Diagnostic> checkAs(MethodSyntax<S> syntax,
      SegmentationSpec spec, YamlDocument doc) {
    return syntax.check(syntax.specType().cast(spec), doc);
  }

  private static <S extends SegmentationSpec> List<RequiredColumn> columnsAs(MethodSyntax<S> syntax,
      SegmentationSpec spec) {
    return syntax.requiredColumns(syntax.specType().cast(spec));
  }

  private static <S extends SegmentationSpec> List<MethodSyntax.Condition> conditionsAs(MethodSyntax<S> syntax,
      SegmentationSpec spec) {
    return syntax.conditions(syntax.specType().cast(spec));
  }

  private static <S extends SegmentationSpec> List<String> integerColumnsAs(MethodSyntax<S> syntax,
      SegmentationSpec spec) {
    return syntax.integerColumns(syntax.specType().cast(spec));
  }
}
