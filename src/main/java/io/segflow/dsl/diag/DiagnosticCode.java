package io.segflow.dsl.diag;

/**
 * The catalogue of diagnostic codes. Codes are stable: scripts and CI filter on them. SF1xx are about the
 * file and its shape, SF2xx about meaning, SF3xx about SQL, SF4xx about environments, SF9xx about segflow
 * itself. {@code dsl/docs/errors.md} documents each one; a test keeps the two in step.
 */
public enum DiagnosticCode {
  FILE_UNREADABLE("SF100", "file cannot be read"),
  FILE_EMPTY("SF101", "file has no content"),
  NOT_TEXT("SF102", "file is not UTF-8 text"),
  FILE_TOO_LARGE("SF103", "file is too large"),
  INVALID_VALUE("SF104", "value has the wrong type or is out of range"),
  UNKNOWN_KEY("SF105", "key is not part of the language"),
  MISSING_KEY("SF106", "required key is missing"),
  YAML_SYNTAX("SF107", "YAML syntax error"),
  DUPLICATE_KEY("SF108", "key appears twice in one mapping"),
  TOO_COMPLEX("SF109", "document nests too deeply or expands too far"),
  BAD_STRUCTURE("SF110", "document is not one mapping of plain keys"),
  EXCLUSIVE_KEYS("SF111", "exactly one of several keys must be given"),

  ENTITY_NOT_IN_FEATURES("SF201", "entity is not a column of the features query"),
  FEATURE_NOT_IN_FEATURES("SF202", "segmentation feature is not a column of the features query"),
  FEATURE_NOT_NUMERIC("SF203", "segmentation feature is not numeric"),
  DUPLICATE_SEGMENT("SF204", "segment name is used twice"),
  SQL_FILE_MISSING("SF205", "sql_file does not exist or cannot be read"),
  SQL_FILE_OUTSIDE("SF206", "sql_file leaves the definition's folder"),
  K_SWEEP_RANGE("SF207", "k sweep has min greater than max"),
  DUPLICATE_DEFINITION_NAME("SF208", "two definitions have the same name"),
  ENTITY_TYPE("SF209", "entity column has a type unfit for a key"),
  UNKNOWN_DOCUMENTED_COLUMN("SF210", "features.columns documents a column the query does not output"),
  TRANSFORM_NOT_A_FEATURE("SF211", "a transform names a column that is not a segmentation feature"),
  CLIP_RANGE("SF212", "clip quantiles are not in increasing order"),
  PARAMETER_VALUE("SF213", "a parameter's default does not fit its type"),
  CONSENT_COLUMN("SF214", "consent names a source or column that is not declared, or a column that is not BOOL"),
  RFM_BINS_WITHOUT_SEGMENTS("SF215", "rfm bins other than 5 without segments of their own"),
  RFM_MEASURE_REPEATED("SF216", "rfm scores one column twice"),
  SCHEDULE_INVALID("SF217", "schedule is not a unix-cron expression or its time zone is unknown"),

  SQL_SYNTAX("SF301", "features SQL does not parse"),
  SQL_INVALID("SF302", "features SQL does not type-check against the declared sources"),
  SQL_UNSUPPORTED("SF303", "features SQL uses something Beam SQL cannot run"),
  RULE_SYNTAX("SF304", "rule predicate does not parse"),
  RULE_INVALID("SF305", "rule predicate does not type-check against the features"),
  RULE_NOT_BOOLEAN("SF306", "rule predicate is not a boolean expression"),
  UNNAMED_OUTPUT_COLUMN("SF307", "features SQL outputs a column without a name"),
  PII_IN_FEATURES("SF308", "a features column carries a pii: true source column"),

  SOURCE_NOT_BOUND("SF401", "environment does not bind a source"),
  ENVIRONMENT_NOT_FOUND("SF402", "environment cannot be found"),
  BOUND_FILE_MISSING("SF403", "file binding matches no file"),
  GCP_SETTINGS_MISSING("SF404", "BigQuery or Dataflow is used without the settings it needs"),
  ROW_FILTER_WITHOUT_DIRECT_READ("SF405", "row_filter needs a table read with direct_read"),
  SOURCE_TABLE_MISMATCH("SF406", "a BigQuery source table lacks a declared column or has another type"),
  SOURCE_TABLE_UNREADABLE("SF407", "a BigQuery source table cannot be found or read"),
  EVENT_TIME_COLUMN("SF408", "event_time names a column the source does not declare, or one that is not a time"),
  PUBSUB_NOT_FOUND("SF409", "a stream's Pub/Sub subscription or changes topic does not exist"),
  OUTPUT_DATASET_NOT_FOUND("SF410", "a stream's BigQuery output dataset does not exist"),

  INTERNAL("SF900", "segflow failed on this input (a bug: please report it)");

  private final String code;
  private final String title;

  DiagnosticCode(String code, String title) {
    this.code = code;
    this.title = title;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }
}
