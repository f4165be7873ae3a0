/**
 * Stage progress: a branch that fires once a stage's output is complete, reporting its row count and
 * when it finished, to a listener in the launching process where the runner runs there, and to Beam
 * metrics and the worker log everywhere.
 */
package io.segflow.transforms.progress;
