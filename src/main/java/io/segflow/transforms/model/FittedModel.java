package io.segflow.transforms.model;

import java.io.Serializable;

/** A fitted model, published with each run (model.json, the model table) so people and later runs can read it. */
public interface FittedModel extends Serializable {
  /** The whole model as one JSON object. */
  String toJson();
}
