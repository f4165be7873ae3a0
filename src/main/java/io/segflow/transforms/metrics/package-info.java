/** Beam metrics as segflow's transforms update them. */
package io.segflow.transforms.metrics;
