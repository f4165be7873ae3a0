/** YAML parsed into a tree that keeps every node's position, with bounded depth and alias expansion. */
package io.segflow.dsl.yaml;
