/** Definitions and environments assembled into Beam pipelines: sources, features, segmentation, outputs. */
package io.segflow.pipeline;
