/**
 * Transforms of the streaming path (issue 17): per-entity state kept as events arrive. They know nothing of
 * definitions; the compiler says which aggregates a definition's features need (compile/StreamingFeatures).
 */
package io.segflow.transforms.stream;
