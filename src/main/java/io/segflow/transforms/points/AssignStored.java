package io.segflow.transforms.points;

import io.segflow.transforms.quality.EntityRejects;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Assigns rows to the segments of a stored model, reading and preparing each row exactly as the fit did
 * (its transforms, clipping, imputation and scaler): new customers, a stream, a rescoring. Each method
 * gives its own entry point ({@code KMeans.assign}, {@code Dbscan.assign}) and its assigner; the reading,
 * the rejects and the output are this one transform's. Outputs the entity, {@code segment_id},
 * {@code distance} and {@code margin} ({@link #ASSIGNMENTS}); rows that cannot be points go to
 * {@link #REJECTS} with the reason.
 *
 * @param <M> the method's model
 */
public final class AssignStored<M extends ClusterModel> extends PTransform<PCollection<Row>, PCollectionTuple> {
  public static final TupleTag<Row> ASSIGNMENTS = new TupleTag<>("segflow.assign.assignments") {};
  /** The rows that cannot be points, as {@link EntityRejects#SCHEMA}. */
  public static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.assign.rejects") {};

  /** What a method tells the transform: its name for messages, its model's coder, how it assigns. */
  public record Method<M>(String name, Coder<M> coder, SerializableFunction<M, PointAssigner> assigner,
      boolean measuresEveryPoint) implements java.io.Serializable {}

  private final Method<M> method;
  private final M model;
  private final PCollectionView<M> view;
  private final String entityField;

  private AssignStored(Method<M> method, M model, PCollectionView<M> view, String entityField) {
    this.method = method;
    this.model = model;
    this.view = view;
    this.entityField = entityField;
  }

  public static <M extends ClusterModel> AssignStored<M> of(Method<M> method, M model) {
    if (model == null) {
      throw new IllegalArgumentException("Invalid " + method.name() + ".Assign: a model is required");
    }
    return new AssignStored<>(method, model, null, model.entityField());
  }

  /** The model as a side input, which may be refreshed; the entity field is named here, since the model is known only when the pipeline runs. */
  public static <M extends ClusterModel> AssignStored<M> of(Method<M> method, PCollectionView<M> model,
      String entityField) {
    if (model == null || entityField == null || entityField.isBlank()) {
      throw new IllegalArgumentException("Invalid " + method.name()
          + ".Assign: a model view and an entity field are required");
    }
    return new AssignStored<>(method, null, model, entityField);
  }

  /**
   * The assignments' fields, a fit's and a stored model's alike: entity, segment_id, distance, margin;
   * distance and margin NULL-able unless the method measures every point.
   */
  public static Schema.Builder assignmentFields(Schema input, String entityField, boolean measuresEveryPoint) {
    Schema.FieldType measure = Schema.FieldType.DOUBLE.withNullable(!measuresEveryPoint);
    return Schema.builder()
        .addField(input.getField(entityField).withNullable(false))
        .addInt32Field("segment_id")
        .addField("distance", measure)
        .addField("margin", measure);
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> input) {
    Schema schema = input.getSchema();
    List<String> needed = new ArrayList<>(model != null ? model.features() : List.of());
    needed.add(0, entityField);
    List<String> missing = needed.stream().filter(f -> !schema.hasField(f)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("Invalid " + method.name() + ".Assign: the model needs fields " + missing
          + " that the input schema " + schema.getFieldNames() + " does not have");
    }
    PCollectionView<M> side = view != null ? view : input.getPipeline()
        .apply("Model", Create.of(model).withCoder(method.coder()))
        .apply("ModelView", View.asSingleton());
    Schema assignments = assignmentFields(schema, entityField, method.measuresEveryPoint()).build();
    PCollectionTuple out = input.apply("Assign", ParDo.of(new AssignFn<>(side, method, entityField, assignments))
        .withSideInputs(side).withOutputTags(ASSIGNMENTS, TupleTagList.of(REJECTS)));
    out.get(ASSIGNMENTS).setRowSchema(assignments);
    out.get(REJECTS).setRowSchema(EntityRejects.SCHEMA);
    return out;
  }

  /** Reads, prepares and assigns each row with the side input's current model. */
  private static final class AssignFn<M extends ClusterModel> extends DoFn<Row, Row> {
    private final PCollectionView<M> model;
    private final Method<M> method;
    private final String entityField;
    private final Schema schema;
    private transient PerModel<M, PointReading> readings;

    AssignFn(PCollectionView<M> model, Method<M> method, String entityField, Schema schema) {
      this.model = model;
      this.method = method;
      this.entityField = entityField;
      this.schema = schema;
    }

    @Setup
    public void setup() {
      readings = new PerModel<>(m -> PointReading.of(entityField, m, method.assigner().apply(m)));
    }

    @ProcessElement
    public void process(@Element Row row, ProcessContext context) {
      PointReading r = readings.of(context.sideInput(model));
      String problem = r.read(row);
      if (problem != null) {
        context.output(REJECTS, EntityRejects.of(r.entity(), problem, row));
        return;
      }
      int segment = r.assign();
      double distance = r.assigner().distance();
      double margin = r.assigner().margin();
      context.output(Row.withSchema(schema).attachValues(r.entity(), segment,
          Double.isFinite(distance) ? distance : null, Double.isFinite(margin) ? margin : null));
    }
  }
}
