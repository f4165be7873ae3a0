/**
 * {@code segflow deploy}: the commands that put definitions on Dataflow as a Flex Template (launcher image,
 * template spec, a run now, a Cloud Scheduler job for a scheduled definition), as data a dry run prints and a
 * deploy runs.
 */
package io.segflow.deploy;
