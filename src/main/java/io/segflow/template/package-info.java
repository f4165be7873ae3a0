/**
 * segflow as a Dataflow Flex Template: the launch parameters as annotated pipeline options, the template's
 * metadata generated from them at build time, and the launcher main the template's image runs.
 */
package io.segflow.template;
