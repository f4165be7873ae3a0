/**
 * A refresh keeps the meaning of segment ids: each run's segments are matched to the previous published
 * run's (k-means centroids by minimum-cost assignment, rules by name), matched segments keep their id and
 * label, new ones get ids never used before in the definition's history.
 */
package io.segflow.pipeline.refresh;
