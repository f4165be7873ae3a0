/**
 * What every fitted segmentation model is to the pipeline that publishes it: a serializable artefact with a
 * JSON form ({@link io.segflow.transforms.model.FittedModel}), whether it clusters points (k-means, DBSCAN)
 * or scores them (RFM's bounds); and the tree a hierarchical model's segments form
 * ({@link io.segflow.transforms.model.ParentTree}).
 */
package io.segflow.transforms.model;
