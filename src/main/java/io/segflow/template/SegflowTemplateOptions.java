package io.segflow.template;

import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The Flex Template's launch parameters. Paths are inside the launcher image, whose working folder holds
 * the repository's {@code segment-definitions/} and {@code pipelines/environments/}.
 */
public interface SegflowTemplateOptions extends DataflowPipelineOptions {
  String RUN_ID = "^[A-Za-z0-9_.-]{1,64}$";

  @TemplateParameter(order = 1, label = "Segment definition", optional = false,
      helpText = "The definition to run, as a path in the image, e.g. segment-definitions/online_retail_rfm_kmeans.yaml.",
      regexes = "^[A-Za-z0-9_][A-Za-z0-9_./-]*\\.ya?ml$")
  @Description("The definition to run, as a path in the image.")
  String getDefinition();

  void setDefinition(String value);

  @TemplateParameter(order = 2, label = "Environment",
      helpText = "The environment binding the definition's sources and output: a name in pipelines/environments/ "
          + "of the image, e.g. prod. Default: prod.",
      regexes = "^[A-Za-z0-9_][A-Za-z0-9_./-]*$")
  @Description("The environment: a name in pipelines/environments/ or a path to a file.")
  @Default.String("prod")
  String getEnvironment();

  void setEnvironment(String value);

  @TemplateParameter(order = 3, label = "Run id",
      helpText = "Identifies the run in the output tables; a run with the id of a published run replaces it. "
          + "Default: the launch time, UTC, e.g. 20261206T050000Z.",
      regexes = RUN_ID)
  @Description("Identifies the run. Default: the launch time, UTC.")
  String getRunId();

  void setRunId(String value);

  @TemplateParameter(order = 4, label = "Parameter values",
      helpText = "Values for the definition's parameters, as name=value pairs separated by ';', "
          + "e.g. as_of=2026-12-01;min_orders=2. Default: the definition's defaults.",
      regexes = "^[A-Za-z_][A-Za-z0-9_]*=[^;]*(;[A-Za-z_][A-Za-z0-9_]*=[^;]*)*$")
  @Description("Values for the definition's parameters: name=value pairs separated by ';'.")
  String getParameterValues();

  void setParameterValues(String value);

  @TemplateParameter(order = 5, label = "Previous run id",
      helpText = "The published run whose segment ids this run keeps. Default: the latest published run.",
      regexes = RUN_ID)
  @Description("The published run whose segment ids this run keeps. Default: the latest.")
  String getPreviousRunId();

  void setPreviousRunId(String value);
}
