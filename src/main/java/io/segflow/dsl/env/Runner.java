package io.segflow.dsl.env;

/** The Beam runners segflow runs on. */
public enum Runner {
  DIRECT,
  FLINK,
  DATAFLOW
}
