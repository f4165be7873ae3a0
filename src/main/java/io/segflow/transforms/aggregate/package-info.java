/**
 * Grouped aggregation of rows that keeps the number of groups out of the shape of the pipeline: groups
 * are combined inside a fixed number of shards, so a runner sees tens of keys, not one per customer.
 */
package io.segflow.transforms.aggregate;
