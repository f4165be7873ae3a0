/** Checks of meaning that need no SQL planner. */
package io.segflow.dsl.validate;
