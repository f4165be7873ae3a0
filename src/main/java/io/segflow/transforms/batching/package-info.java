/** Regrouping of elements into large bundles, whatever bundling the stage upstream produced. */
package io.segflow.transforms.batching;
