/**
 * What every fitted segmentation model is to the pipeline that publishes it: a serializable artefact with a
 * JSON form ({@link io.segflow.transforms.model.FittedModel}), whether it clusters points (k-means, DBSCAN)
 * or scores them (RFM's bounds).
 */
package io.segflow.transforms.model;
