/**
 * Each segmentation method's part of the language: how its {@code segmentation:} block binds to its model,
 * the checks of its own options, and the feature columns it needs; registered in {@link MethodSyntaxes}.
 */
package io.segflow.dsl.methods;
