package io.segflow.transforms.rules;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Rules segmentation: ordered SQL predicates over feature rows, compiled to one Beam SQL {@code CASE};
 * the first that holds assigns the entity, the default takes the rest. Outputs the entity,
 * {@code segment_id} (the rule's index; the default's is the number of rules), {@code segment_label}, then
 * the input fields named by {@link Evaluate#withFields}, as {@code <prefix><field>} (so that a profile needs
 * no join back to the input).
 *
 * <pre>{@code
 * features.apply(Rules.evaluate("customer_id",
 *     List.of(new Rules.Rule("champions", "recency_days <= 30 AND frequency >= 10")), "others"));
 * }</pre>
 */
public final class Rules {
  private Rules() {}

  /** One rule: a segment name and the SQL boolean expression that puts an entity in it. */
  public record Rule(String segment, String when) implements Serializable {}

  public static Evaluate evaluate(String entityField, List<Rule> rules, String defaultSegment) {
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("Invalid Rules.Evaluate: at least one rule is needed");
    }
    return new Evaluate(entityField, List.copyOf(rules), defaultSegment, List.of(), "");
  }

  /** The SQL the rules compile to, over the table {@code PCOLLECTION}. */
  public static String sql(String entityField, List<Rule> rules, String defaultSegment) {
    return sql(entityField, rules, defaultSegment, List.of(), "");
  }

  private static String sql(String entityField, List<Rule> rules, String defaultSegment, List<String> fields,
      String prefix) {
    StringBuilder ids = new StringBuilder("CASE");
    StringBuilder labels = new StringBuilder("CASE");
    for (int i = 0; i < rules.size(); i++) {
      // Each predicate on lines of its own, so Beam SQL's positions map back to the rule.
      ids.append("\n WHEN (\n").append(rules.get(i).when()).append("\n) THEN ").append(i);
      labels.append("\n WHEN (\n").append(rules.get(i).when()).append("\n) THEN '").append(rules.get(i).segment()).append('\'');
    }
    ids.append("\n ELSE ").append(rules.size()).append(" END");
    labels.append("\n ELSE '").append(defaultSegment).append("' END");
    StringBuilder carried = new StringBuilder();
    fields.forEach(f -> carried.append(", `").append(f).append("` AS `").append(prefix).append(f).append('`'));
    return "SELECT `" + entityField + "`, CAST(" + ids + " AS INTEGER) AS segment_id,\n CAST(" + labels
        + " AS VARCHAR) AS segment_label" + carried + "\nFROM PCOLLECTION";
  }

  /** The transform; see {@link Rules}. */
  public static final class Evaluate extends PTransform<PCollection<Row>, PCollection<Row>> {
    private final String entityField;
    private final List<Rule> rules;
    private final String defaultSegment;
    private final List<String> fields;
    private final String prefix;

    private Evaluate(String entityField, List<Rule> rules, String defaultSegment, List<String> fields,
        String prefix) {
      this.entityField = entityField;
      this.rules = rules;
      this.defaultSegment = defaultSegment;
      this.fields = fields;
      this.prefix = prefix;
    }

    /**
     * Input fields the output also carries, after {@code segment_label}, as {@code <prefix><field>}: the
     * prefix keeps a field named like the output's own apart. Default none.
     */
    public Evaluate withFields(List<String> fields, String prefix) {
      List<String> taken = List.of(entityField, "segment_id", "segment_label");
      fields.stream().map(f -> prefix + f).filter(taken::contains).findFirst().ifPresent(f -> {
        throw new IllegalArgumentException("Invalid Rules.Evaluate: field '" + f
            + "' cannot be carried, the output has a field of that name " + taken + "; choose another prefix");
      });
      return new Evaluate(entityField, rules, defaultSegment, List.copyOf(fields), prefix);
    }

    @Override
    public PCollection<Row> expand(PCollection<Row> features) {
      return features.apply("Case", SqlTransform.query(sql(entityField, rules, defaultSegment, fields, prefix)));
    }
  }
}
